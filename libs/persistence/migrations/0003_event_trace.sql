ALTER TABLE "event_inbox" ADD COLUMN "trace" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "trace" text;