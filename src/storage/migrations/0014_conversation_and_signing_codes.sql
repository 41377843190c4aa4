CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"offboarding_id" text NOT NULL,
	"side" text NOT NULL,
	"author" text NOT NULL,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "notifications_written_idx";--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD COLUMN "code_hash" text;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD COLUMN "code_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD COLUMN "code_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD COLUMN "code_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_offboarding_id_offboardings_id_fk" FOREIGN KEY ("offboarding_id") REFERENCES "public"."offboardings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_offboarding_idx" ON "messages" USING btree ("offboarding_id","seq");--> statement-breakpoint
CREATE INDEX "notifications_written_idx" ON "notifications" USING btree ("tenant_id") WHERE "notifications"."status" = 'pending' and "notifications"."kind" in ('client-checkpoint', 'portal-link', 'portal-link-copy', 'signing-certificate', 'conversation-message', 'cutover-proposal', 'signing-code');