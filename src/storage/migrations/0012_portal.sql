CREATE TABLE "parties" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"offboarding_id" text NOT NULL,
	"side" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"can_sign" boolean DEFAULT false NOT NULL,
	"invited_at" timestamp with time zone,
	"last_opened_at" timestamp with time zone,
	"access_revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"party_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "portal_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"party_id" text NOT NULL,
	"link_hash" text NOT NULL,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "notifications_written_idx";--> statement-breakpoint
ALTER TABLE "attestations" ALTER COLUMN "gate" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "template_version" integer;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "method" text DEFAULT 'recorded-by-staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "party_id" text;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "user_agent" text;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "portal_session_hash" text;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "portal_link_hash" text;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "details" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "recorded_by" text;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "document_sha256" text;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "artifact_sha256" text;--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "certificate_sha256" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "sealed_link" text;--> statement-breakpoint
ALTER TABLE "offboardings" ADD COLUMN "proposed_cutover" date;--> statement-breakpoint
ALTER TABLE "parties" ADD CONSTRAINT "parties_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parties" ADD CONSTRAINT "parties_offboarding_id_offboardings_id_fk" FOREIGN KEY ("offboarding_id") REFERENCES "public"."offboardings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_links" ADD CONSTRAINT "portal_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_links" ADD CONSTRAINT "portal_links_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD CONSTRAINT "portal_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD CONSTRAINT "portal_sessions_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "parties_once" ON "parties" USING btree ("offboarding_id","side",lower("email"));--> statement-breakpoint
CREATE INDEX "parties_email_idx" ON "parties" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "portal_links_party_idx" ON "portal_links" USING btree ("party_id");--> statement-breakpoint
CREATE INDEX "portal_sessions_party_idx" ON "portal_sessions" USING btree ("party_id");--> statement-breakpoint
ALTER TABLE "attestations" ADD CONSTRAINT "attestations_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_written_idx" ON "notifications" USING btree ("tenant_id") WHERE "notifications"."status" = 'pending' and "notifications"."kind" in ('client-checkpoint', 'portal-link', 'portal-link-copy', 'signing-certificate');