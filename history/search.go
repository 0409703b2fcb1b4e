package history

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// Search returns up to limit messages whose body contains every word of
// text, newest first, from account or from all accounts if account is "".
// text is plain words as typed: FTS5 query syntax in it (quotes, *, -, :,
// parentheses, AND/OR/NOT/NEAR) is matched literally, never interpreted.
// It is the first page of SearchBefore.
func (s *Store) Search(ctx context.Context, account, text string, limit int) ([]Message, error) {
	ms, _, err := s.SearchBefore(ctx, account, text, Newest, limit)
	return ms, err
}

// searchSQL walks the full-text index from rowid ?4 down: rowids are
// message ids, which are in time order, so the first limit rows are the
// newest matches and nothing is sorted.
const searchSQL = `SELECT %s
	FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
	WHERE messages_fts MATCH ?1 AND messages_fts.rowid < ?4 AND (?2 = '' OR m.account = ?2)
	ORDER BY messages_fts.rowid DESC LIMIT ?3`

// SearchBefore is one page of Search: up to limit matches older than the
// message beforeID (Newest for the first page), newest first, and whether
// there are older ones. The next page is SearchBefore with the ID of the
// last message returned: it continues exactly where this one stopped,
// whatever the stamps, since ids are unique and in time order. A page
// costs about the same at any depth. With account set, other accounts'
// matches are read and skipped: a page whose matches are nearly all
// another account's costs in proportion to those.
func (s *Store) SearchBefore(ctx context.Context, account, text string, beforeID int64, limit int) (ms []Message, more bool, err error) {
	q := matchQuery(text)
	if q == "" || limit <= 0 {
		return nil, false, nil
	}
	ms, err = s.query(ctx, fmt.Sprintf(searchSQL, prefixed("m.", columns)), q, account, limit+1, beforeID)
	if err != nil {
		return nil, false, fmt.Errorf("search history for %q: %w", text, err)
	}
	if len(ms) > limit {
		return ms[:limit], true, nil
	}
	return ms, false, nil
}

// CountMatches counts the messages Search would find, stopping at upTo:
// it returns upTo and true when there are at least that many. Counting
// every match of a common word in a long history costs what a page does
// not, hence the cap: "50 of 734", or "50 of more than 1000".
func (s *Store) CountMatches(ctx context.Context, account, text string, upTo int) (n int, atLeast bool, err error) {
	q := matchQuery(text)
	if q == "" || upTo <= 0 {
		return 0, false, nil
	}
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1
		FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
		WHERE messages_fts MATCH ?1 AND (?2 = '' OR m.account = ?2) LIMIT ?3)`, q, account, upTo).Scan(&n)
	if err != nil {
		return 0, false, fmt.Errorf("count matches of %q: %w", text, err)
	}
	return n, n >= upTo, nil
}

// matchQuery turns plain words into an FTS5 query: each word becomes a
// double-quoted string (inner quotes doubled), which FTS5 reads as a
// phrase of the word's tokens, and the phrases are ANDed. Words without a
// letter or digit hold no token and are dropped, as the tokenizer would
// drop them anyway. It returns "" when nothing is left to search for.
func matchQuery(text string) string {
	var phrases []string
	// FTS5 reads its query as a C string: a NUL would end it inside a
	// quoted phrase. It is no token character, so it separates words.
	text = strings.ReplaceAll(text, "\x00", " ")
	for _, w := range strings.Fields(text) {
		if !strings.ContainsFunc(w, isTokenRune) {
			continue
		}
		phrases = append(phrases, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(phrases, " ")
}

func isTokenRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}
