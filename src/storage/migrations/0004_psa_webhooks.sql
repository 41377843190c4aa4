CREATE TABLE "psa_connections" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb NOT NULL,
	"secret_sealed" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"result" text,
	"reason" text,
	"event_id" text,
	"replay_key" text,
	"body_sha256" text NOT NULL,
	"remote_ip" text,
	"psa_company_id" text,
	"client_id" text,
	"offboarding_id" text
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "pending_trigger" jsonb;--> statement-breakpoint
ALTER TABLE "psa_connections" ADD CONSTRAINT "psa_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_connection_id_psa_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."psa_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "psa_connections_tenant_idx" ON "psa_connections" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event_once" ON "webhook_deliveries" USING btree ("connection_id","event_id") WHERE "webhook_deliveries"."outcome" = 'processed';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_replay_idx" ON "webhook_deliveries" USING btree ("connection_id","replay_key");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_tenant_idx" ON "webhook_deliveries" USING btree ("tenant_id","received_at");