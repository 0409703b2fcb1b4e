package store

// migrations are the schema changes, in order: migrations[i] brings the
// database from user_version i to i+1 (applied by sqlitedb.Open). Append
// new ones; never edit one that has shipped.
var migrations = []string{
	// 1: users and SCRAM credentials, rosters, pending requests, offline.
	`
CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	jid        TEXT    NOT NULL UNIQUE,
	roster_ver INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE credentials (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	mechanism  TEXT    NOT NULL,
	salt       BLOB    NOT NULL,
	iterations INTEGER NOT NULL CHECK (iterations > 0),
	salted     BLOB    NOT NULL,
	PRIMARY KEY (user_id, mechanism)
);
-- One sequence for every roster version, so a deleted and re-created
-- account never hands out a version a client may have cached before.
CREATE TABLE counters (
	name  TEXT    PRIMARY KEY,
	value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('roster', 0);
CREATE TABLE roster_items (
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	jid          TEXT    NOT NULL,
	name         TEXT    NOT NULL DEFAULT '',
	subscription TEXT    NOT NULL CHECK (subscription IN ('none', 'to', 'from', 'both')),
	ask          INTEGER NOT NULL DEFAULT 0,
	approved     INTEGER NOT NULL DEFAULT 0,
	groups       TEXT    NOT NULL DEFAULT '[]',
	PRIMARY KEY (user_id, jid)
);
CREATE TABLE pending_in (
	id       INTEGER PRIMARY KEY,
	user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	from_jid TEXT    NOT NULL,
	stanza   BLOB    NOT NULL,
	UNIQUE (user_id, from_jid)
);
CREATE TABLE offline (
	id      INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	stanza  BLOB    NOT NULL
);
CREATE INDEX offline_user ON offline (user_id, id);
`,
	// 2: persistent multi-user chat rooms and their affiliations.
	`
CREATE TABLE muc_rooms (
	id           INTEGER PRIMARY KEY,
	jid          TEXT    NOT NULL UNIQUE,
	name         TEXT    NOT NULL DEFAULT '',
	description  TEXT    NOT NULL DEFAULT '',
	password     TEXT    NOT NULL DEFAULT '',
	members_only INTEGER NOT NULL DEFAULT 0,
	moderated    INTEGER NOT NULL DEFAULT 0,
	public       INTEGER NOT NULL DEFAULT 1,
	subject      TEXT    NOT NULL DEFAULT '',
	subject_nick TEXT    NOT NULL DEFAULT ''
);
CREATE TABLE muc_affiliations (
	room_id     INTEGER NOT NULL REFERENCES muc_rooms (id) ON DELETE CASCADE,
	jid         TEXT    NOT NULL,
	affiliation TEXT    NOT NULL CHECK (affiliation IN ('owner', 'admin', 'member', 'outcast')),
	PRIMARY KEY (room_id, jid)
);
`,
	// 3: the message archive (XEP-0313), one row per message and owner.
	`
CREATE TABLE archive (
	id        INTEGER PRIMARY KEY,
	user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	stanza_id TEXT    NOT NULL,
	with_jid  TEXT    NOT NULL,
	at        INTEGER NOT NULL,
	stanza    BLOB    NOT NULL,
	UNIQUE (user_id, stanza_id)
);
CREATE INDEX archive_with ON archive (user_id, with_jid, id);
`,
	// 4: per-account blocklists (XEP-0191) and per-account XML data:
	// private storage, vCards, PEP items, last activity.
	`
CREATE TABLE blocklist (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	jid     TEXT    NOT NULL,
	PRIMARY KEY (user_id, jid)
);
CREATE TABLE account_data (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind    TEXT    NOT NULL,
	key     TEXT    NOT NULL,
	value   BLOB    NOT NULL,
	PRIMARY KEY (user_id, kind, key)
);
`,
}
