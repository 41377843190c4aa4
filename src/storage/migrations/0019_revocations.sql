CREATE TABLE "revocations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"offboarding_id" text NOT NULL,
	"credential_id" text,
	"what" text NOT NULL,
	"kind" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"verification" jsonb,
	"verified_by" text,
	"accounted" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "revocations" ADD CONSTRAINT "revocations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revocations" ADD CONSTRAINT "revocations_offboarding_id_offboardings_id_fk" FOREIGN KEY ("offboarding_id") REFERENCES "public"."offboardings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "revocations_offboarding_idx" ON "revocations" USING btree ("tenant_id","offboarding_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "revocations_credential_once" ON "revocations" USING btree ("tenant_id","offboarding_id","credential_id") WHERE credential_id is not null;