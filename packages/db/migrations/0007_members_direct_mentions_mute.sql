ALTER TABLE "conversations" DROP CONSTRAINT "conversations_title_not_blank";--> statement-breakpoint
DROP INDEX "conversation_members_one_owner";--> statement-breakpoint
ALTER TABLE "conversations" ALTER COLUMN "owner_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation_members" ADD COLUMN "muted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "kind" varchar(16) DEFAULT 'group' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "direct_key" varchar(32);--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "custom_title" varchar(100);--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "mentions" integer[] DEFAULT '{}'::int[] NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "system_action" varchar(32);--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "system_user_ids" integer[];--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "system_title" varchar(100);--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_direct_key" ON "conversations" USING btree ("direct_key");--> statement-breakpoint
-- ADR 032. A stored title stays a custom title only where it differs from the title the old code
-- built at creation (every member's current nickname in member order, cut with ", …" at 100).
UPDATE "conversations" c SET "custom_title" = c."title"
FROM (
  SELECT m."conversation_id", string_agg(u."nickname", ', ' ORDER BY m."position") AS "auto"
  FROM "conversation_members" m JOIN "users" u ON u."id" = m."user_id"
  GROUP BY m."conversation_id"
) a
WHERE a."conversation_id" = c."id"
  AND c."title" <> a."auto"
  AND NOT (length(a."auto") > 100 AND c."title" LIKE '%, …'
           AND starts_with(a."auto", left(c."title", length(c."title") - 3)));--> statement-breakpoint
-- An open, untitled group of exactly two people becomes their direct conversation. Where a pair has
-- several (the old code made a new one each time), the one with the newest activity is converted and
-- the others stay untitled groups with their owner.
WITH "pairs" AS (
  SELECT c."id", min(m."user_id") || ':' || max(m."user_id") AS "key",
    row_number() OVER (PARTITION BY min(m."user_id"), max(m."user_id")
                       ORDER BY c."last_activity_at" DESC, c."id" DESC) AS "rank"
  FROM "conversations" c JOIN "conversation_members" m ON m."conversation_id" = c."id"
  WHERE c."custom_title" IS NULL AND c."closed_at" IS NULL
  GROUP BY c."id"
  HAVING count(*) = 2
)
UPDATE "conversations" c SET "kind" = 'direct', "owner_id" = NULL, "direct_key" = p."key"
FROM "pairs" p WHERE p."id" = c."id" AND p."rank" = 1;--> statement-breakpoint
ALTER TABLE "conversation_members" DROP COLUMN "is_owner";--> statement-breakpoint
ALTER TABLE "conversations" DROP COLUMN "title";--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_custom_title_not_blank" CHECK (length(trim("conversations"."custom_title")) > 0);--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_kind" CHECK ("conversations"."kind" in ('group', 'direct'));--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_kind_shape" CHECK (("conversations"."kind" = 'group' and "conversations"."owner_id" is not null and "conversations"."direct_key" is null)
        or ("conversations"."kind" = 'direct' and "conversations"."owner_id" is null and "conversations"."direct_key" is not null and "conversations"."custom_title" is null));