-- Contact search is "nickname contains q" (ILIKE '%q%'): only a trigram index serves it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "users_nickname_trgm_idx" ON "users" USING gin ("nickname" gin_trgm_ops);
