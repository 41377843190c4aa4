CREATE TABLE "blob_chunks" (
	"tenant_id" text NOT NULL,
	"sha256" text NOT NULL,
	"n" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "blob_chunks_tenant_id_sha256_n_pk" PRIMARY KEY("tenant_id","sha256","n")
);
--> statement-breakpoint
ALTER TABLE "blobs" ALTER COLUMN "content" DROP NOT NULL;