-- Messaging to members (issue 18): consent for the new marketing topics and
-- where each choice came from, the transactional outbox, template texts the
-- admin has edited, suppressed addresses and the server's signing secrets.
--
-- Consents gain three channels. Widening a CHECK leaves every stored row
-- valid, so the definition is edited in place as in 0014 (SQLite's "Making
-- Other Kinds Of Table Schema Changes"); the throw-away table moves the
-- schema cookie on so open connections reload it.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, '''email_offers'', ''birthday_greetings'', ''survey_invitations''',
                     '''email_offers'', ''news'', ''points_reminders'', ''birthday_greetings'', ''win_back'', ''survey_invitations''')
 WHERE type = 'table' AND name = 'consents';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x INTEGER);
DROP TABLE schema_cookie_bump;

-- 'profile' (the member's switches), 'unsubscribe' (a link in a message,
-- which `message_id` names), 'admin', 'seed'.
ALTER TABLE consents ADD COLUMN source TEXT NOT NULL DEFAULT 'profile';
ALTER TABLE consents ADD COLUMN message_id BIGINT;

-- The outbox. A row is written in the transaction of the event that causes
-- it (joining, a reply, a reminder run) with the event's figures in
-- `fields` (JSON); the delivery worker renders it in the member's language,
-- checks consent and suppression, and sends or captures it. `dedupe_key`
-- makes an event's message once-only (NULL: no such key).
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    template TEXT NOT NULL,
    topic TEXT NOT NULL,
    fields TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'captured', 'failed', 'skipped')),
    to_address TEXT,
    language TEXT,
    subject TEXT,
    text_body TEXT,
    html_body TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    last_attempt_at BIGINT,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX messages_queued ON messages(next_attempt_at) WHERE status = 'queued';
CREATE INDEX messages_member ON messages(member_id, sent_at);
CREATE INDEX messages_status ON messages(status, id);

-- Template texts the admin edited; a template without a row here uses the
-- built-in text.
CREATE TABLE message_templates (
    template TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    PRIMARY KEY (template, language)
);

-- Addresses that get nothing but account-security mail: a permanent
-- delivery failure ('bounce'), a complaint, or an admin's entry. Lifting
-- one deletes its row (audited).
CREATE TABLE suppressions (
    email TEXT PRIMARY KEY,
    reason TEXT NOT NULL CHECK (reason IN ('bounce', 'complaint', 'admin')),
    detail TEXT,
    created_at BIGINT NOT NULL
);

-- Keys the server signs links with (unsubscribe), made once on first use so
-- every replica signs and checks alike.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
