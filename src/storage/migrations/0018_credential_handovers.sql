CREATE TABLE "credential_handovers" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"offboarding_id" text NOT NULL,
	"credential_id" text NOT NULL,
	"party_id" text NOT NULL,
	"side" text NOT NULL,
	"kind" text NOT NULL,
	"secret_digest" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
ALTER TABLE "credential_handovers" ADD CONSTRAINT "credential_handovers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_handovers" ADD CONSTRAINT "credential_handovers_offboarding_id_offboardings_id_fk" FOREIGN KEY ("offboarding_id") REFERENCES "public"."offboardings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credential_handovers_offboarding_idx" ON "credential_handovers" USING btree ("tenant_id","offboarding_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "credential_handovers_reveal_once" ON "credential_handovers" USING btree ("tenant_id","credential_id","party_id","secret_digest") WHERE kind = 'reveal';