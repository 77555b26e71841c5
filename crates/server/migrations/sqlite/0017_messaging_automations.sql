-- Messaging, part two (issue 18): automations an admin switches and
-- delays, the programme's sending rules (frequency cap, quiet hours,
-- reminder horizons, win-back factor), holidays greeted (fixed dates,
-- lunar ones computed, or a date entered for one year), and what members
-- did with a message (opens, machine opens, clicks).

-- One row per automation the admin changed; none: on, no delay.
CREATE TABLE automations (
    key TEXT PRIMARY KEY,
    enabled TINYINT NOT NULL,
    delay_hours BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);

-- The one row of sending rules.
CREATE TABLE messaging_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    frequency_cap BIGINT NOT NULL,
    quiet_start BIGINT NOT NULL,
    quiet_end BIGINT NOT NULL,
    reminder_days TEXT NOT NULL,
    win_back_factor BIGINT NOT NULL
);
INSERT INTO messaging_settings (id, frequency_cap, quiet_start, quiet_end, reminder_days, win_back_factor)
VALUES (1, 3, 21, 8, '30,7', 2);

-- Holidays greeted: 'fixed' (month and day every year), 'spring_festival'
-- and 'mid_autumn' (lunar, computed per year), or 'date' (one day, entered).
CREATE TABLE holidays (
    id INTEGER PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('fixed', 'spring_festival', 'mid_autumn', 'date')),
    month BIGINT,
    day BIGINT,
    on_date TEXT,
    enabled TINYINT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO holidays (name_en, name_zh, kind, enabled, created_at) VALUES
    ('Spring Festival', '春节', 'spring_festival', TRUE, 0),
    ('Mid-Autumn Festival', '中秋节', 'mid_autumn', TRUE, 0);

-- What happened to a sent message: 'open' (a person), 'machine_open' (a
-- privacy proxy or prefetcher: left out of open rates), 'click' (with the
-- link).
CREATE TABLE message_events (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    kind TEXT NOT NULL CHECK (kind IN ('open', 'machine_open', 'click')),
    detail TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX message_events_message ON message_events(message_id, kind);
CREATE INDEX messages_template_created ON messages(template, created_at);
CREATE INDEX consents_message ON consents(message_id) WHERE message_id IS NOT NULL;
