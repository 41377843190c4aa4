ALTER TABLE "tasks" ADD COLUMN "authorization_scope" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "evidence" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "evidence_waiver" jsonb;