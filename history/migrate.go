package history

// migrations are the schema changes, in order: migrations[i] brings the
// database from user_version i to i+1 (applied by sqlitedb.Open). Append
// new ones; never edit one that has shipped.
var migrations = []string{
	// 1: messages with de-duplication and full-text search, roster cache.
	`
CREATE TABLE messages (
	id        INTEGER PRIMARY KEY,
	account   TEXT    NOT NULL,
	peer      TEXT    NOT NULL,
	direction TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
	stamp     INTEGER NOT NULL,
	received  INTEGER NOT NULL,
	from_jid  TEXT    NOT NULL DEFAULT '',
	type      TEXT    NOT NULL DEFAULT '',
	thread    TEXT    NOT NULL DEFAULT '',
	stanza_id TEXT    NOT NULL DEFAULT '',
	origin_id TEXT    NOT NULL DEFAULT '',
	body      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX messages_conversation ON messages (account, peer, stamp, id);
CREATE UNIQUE INDEX messages_origin_id ON messages (account, peer, direction, origin_id)
	WHERE origin_id <> '';
CREATE UNIQUE INDEX messages_stanza_id ON messages (account, peer, stanza_id)
	WHERE stanza_id <> '';

CREATE VIRTUAL TABLE messages_fts USING fts5 (
	body,
	content = 'messages',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
	INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;

CREATE TABLE roster_versions (
	account TEXT PRIMARY KEY,
	version TEXT NOT NULL
);
CREATE TABLE roster_items (
	account      TEXT NOT NULL,
	jid          TEXT NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	subscription TEXT NOT NULL DEFAULT '',
	ask          TEXT NOT NULL DEFAULT '',
	groups       TEXT NOT NULL DEFAULT '[]',
	PRIMARY KEY (account, jid)
);
`,
	// 2: the XHTML-IM version of a message, so rich text survives a restart.
	`ALTER TABLE messages ADD COLUMN xhtml TEXT NOT NULL DEFAULT '';`,
	// 3: de-duplication no longer by unique indexes, which merged two
	// different messages that shared an origin-id (anyone can pick one):
	// insertMessage finds a stored copy by our server's stanza-id, or by
	// origin-id for our own messages only, and only with the same body.
	`
DROP INDEX messages_origin_id;
DROP INDEX messages_stanza_id;
CREATE INDEX messages_stanza_id ON messages (account, peer, stanza_id) WHERE stanza_id <> '';
CREATE INDEX messages_origin_id ON messages (account, peer, origin_id) WHERE origin_id <> '' AND direction = 'out';
`,
	// 4: ids in time order (see newID), so that the conversation index and
	// the full-text index give the newest messages first without a sort.
	// Every row gets a new id (mapped in a narrow temporary table, so that
	// only ids and stamps are sorted, not whole rows): row i in (stamp, id)
	// order gets
	// i + max over j <= i of (bucket_j - j), which is its millisecond's
	// bucket plus its rank in it, and is strictly increasing even where a
	// millisecond overflows. The full-text index is rebuilt for the new
	// rowids, without the per-row token counts (columnsize = 0) that only
	// ranking by relevance would read. There is no insert trigger any more: storeMessages indexes
	// each batch of new messages in one statement (see indexSQL).
	migrateTimeOrderedIDs,
	// 5: the message's own id and, for a XEP-0308 correction, the id of
	// the message it corrects: a correction is a row of its own, the
	// original stays, and a reader pairs them (same conversation, same
	// sender).
	`
ALTER TABLE messages ADD COLUMN msg_id TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN replaces TEXT NOT NULL DEFAULT '';
`,
}

const migrateTimeOrderedIDs = `
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;

CREATE TABLE messages_v4 (
	id        INTEGER PRIMARY KEY,
	account   TEXT    NOT NULL,
	peer      TEXT    NOT NULL,
	direction TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
	stamp     INTEGER NOT NULL,
	received  INTEGER NOT NULL,
	from_jid  TEXT    NOT NULL DEFAULT '',
	type      TEXT    NOT NULL DEFAULT '',
	thread    TEXT    NOT NULL DEFAULT '',
	stanza_id TEXT    NOT NULL DEFAULT '',
	origin_id TEXT    NOT NULL DEFAULT '',
	body      TEXT    NOT NULL DEFAULT '',
	xhtml     TEXT    NOT NULL DEFAULT ''
);
CREATE TEMP TABLE ids_v4 (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO ids_v4 (old, new)
SELECT id, i + max(b - i) OVER (ORDER BY i ROWS UNBOUNDED PRECEDING)
FROM (SELECT id, row_number() OVER (ORDER BY stamp, id) - 1 AS i,
		((stamp / 1000000) - (stamp % 1000000 < 0)) << 18 AS b
	FROM messages);
INSERT INTO messages_v4
	(id, account, peer, direction, stamp, received, from_jid, type, thread, stanza_id, origin_id, body, xhtml)
SELECT ids_v4.new,
	account, peer, direction, stamp, received, from_jid, type, thread, stanza_id, origin_id, body, xhtml
FROM messages JOIN ids_v4 ON ids_v4.old = messages.id;
DROP TABLE ids_v4;
DROP TABLE messages;
ALTER TABLE messages_v4 RENAME TO messages;

CREATE INDEX messages_conversation ON messages (account, peer);
CREATE INDEX messages_stanza_id ON messages (account, peer, stanza_id) WHERE stanza_id <> '';
CREATE INDEX messages_origin_id ON messages (account, peer, origin_id) WHERE origin_id <> '' AND direction = 'out';

CREATE VIRTUAL TABLE messages_fts USING fts5 (
	body,
	content = 'messages',
	content_rowid = 'id',
	columnsize = 0,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
	INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
`
