CREATE TABLE "nickname_version" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "nickname_version_single_row" CHECK ("nickname_version"."id" = 1)
);
--> statement-breakpoint
-- The one row the renames bump and the page cache reads (ADR 046).
INSERT INTO "nickname_version" ("id", "version") VALUES (1, 0);
