CREATE TABLE "documentation_packages" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"offboarding_id" text NOT NULL,
	"audience" text NOT NULL,
	"version" integer NOT NULL,
	"entries" jsonb NOT NULL,
	"manifest_sha256" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"counts" jsonb NOT NULL,
	"built_by" text NOT NULL,
	"built_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "package_downloads" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"package_id" text NOT NULL,
	"offboarding_id" text NOT NULL,
	"actor" text NOT NULL,
	"party_id" text,
	"ip" text NOT NULL,
	"user_agent" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "notifications_written_idx";--> statement-breakpoint
ALTER TABLE "documentation_packages" ADD CONSTRAINT "documentation_packages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documentation_packages" ADD CONSTRAINT "documentation_packages_offboarding_id_offboardings_id_fk" FOREIGN KEY ("offboarding_id") REFERENCES "public"."offboardings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_downloads" ADD CONSTRAINT "package_downloads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_downloads" ADD CONSTRAINT "package_downloads_package_id_documentation_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."documentation_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "documentation_packages_version_once" ON "documentation_packages" USING btree ("offboarding_id","audience","version");--> statement-breakpoint
CREATE INDEX "package_downloads_package_idx" ON "package_downloads" USING btree ("tenant_id","package_id","at");--> statement-breakpoint
CREATE INDEX "notifications_written_idx" ON "notifications" USING btree ("tenant_id") WHERE "notifications"."status" = 'pending' and "notifications"."kind" in ('client-checkpoint', 'portal-link', 'portal-link-copy', 'signing-certificate', 'conversation-message', 'cutover-proposal', 'signing-code', 'package-ready');