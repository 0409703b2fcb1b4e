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
func (s *Store) Search(ctx context.Context, account, text string, limit int) ([]Message, error) {
	q := matchQuery(text)
	if q == "" || limit <= 0 {
		return nil, nil
	}
	ms, err := s.query(ctx, `SELECT `+prefixed("m.", columns)+`
		FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
		WHERE messages_fts MATCH ?1 AND (?2 = '' OR m.account = ?2)
		ORDER BY m.stamp DESC, m.id DESC LIMIT ?3`, q, account, limit)
	if err != nil {
		return nil, fmt.Errorf("search history for %q: %w", text, err)
	}
	return ms, nil
}

// matchQuery turns plain words into an FTS5 query: each word becomes a
// double-quoted string (inner quotes doubled), which FTS5 reads as a
// phrase of the word's tokens, and the phrases are ANDed. Words without a
// letter or digit hold no token and are dropped, as the tokenizer would
// drop them anyway. It returns "" when nothing is left to search for.
func matchQuery(text string) string {
	var phrases []string
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
