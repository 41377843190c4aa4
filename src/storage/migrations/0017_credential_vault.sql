CREATE TABLE "client_data_keys" (
	"tenant_id" text NOT NULL,
	"client_id" text NOT NULL,
	"wrapped_key" text,
	"wrapped_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rewrapped_at" timestamp with time zone,
	"destroyed_at" timestamp with time zone,
	"destroyed_by" text,
	CONSTRAINT "client_data_keys_tenant_id_client_id_pk" PRIMARY KEY("tenant_id","client_id")
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"client_id" text NOT NULL,
	"name" text NOT NULL,
	"url" text,
	"username" text,
	"kind" text NOT NULL,
	"owner" text,
	"notes" text,
	"source" text NOT NULL,
	"external_id" text,
	"secret_sealed" text NOT NULL,
	"secret_digest" text NOT NULL,
	"has_otp" boolean DEFAULT false NOT NULL,
	"disposition" text,
	"recipient" text,
	"disposition_by" text,
	"disposition_at" timestamp with time zone,
	"secret_changed_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone,
	"rotated_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "documentation_imports" ADD COLUMN "target" text DEFAULT 'documentation' NOT NULL;--> statement-breakpoint
ALTER TABLE "client_data_keys" ADD CONSTRAINT "client_data_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_data_keys" ADD CONSTRAINT "client_data_keys_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credentials_client_idx" ON "credentials" USING btree ("tenant_id","client_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_imported_once" ON "credentials" USING btree ("tenant_id","client_id","source","external_id");