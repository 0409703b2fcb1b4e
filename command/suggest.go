package command

import (
	"fmt"
	"strings"
)

// Suggest returns the command name or alias closest to name when it is
// near enough to be a typo ("qiut" gives "quit"), or "" if none is. Near
// enough: at most one edit for names of up to four letters, two for longer
// ones (a transposition counts as one). Ties go to a command's own name
// over an alias, then to the alphabetically first.
func (t *Table[E]) Suggest(name string) string {
	low := strings.ToLower(strings.TrimPrefix(name, "/"))
	if low == "" {
		return ""
	}
	limit := 1
	if len([]rune(low)) > 4 {
		limit = 2
	}
	best, bestD, bestAlias := "", limit+1, true
	for _, c := range t.cmds {
		for i, n := range append([]string{c.Name}, c.Aliases...) {
			d, alias := distance(low, strings.ToLower(n)), i > 0
			better := d <= limit && (d < bestD || d == bestD && (bestAlias && !alias || alias == bestAlias && n < best))
			if better {
				best, bestD, bestAlias = n, d, alias
			}
		}
	}
	return best
}

// unknown is the error for a name not in the table, with a suggestion
// when one is close.
func (t *Table[E]) unknown(name string) error {
	name = strings.TrimPrefix(name, "/")
	if s := t.Suggest(name); s != "" {
		return fmt.Errorf("%w /%s: did you mean /%s? (/help lists them all)", ErrUnknown, name, s)
	}
	return fmt.Errorf("%w /%s (try /help)", ErrUnknown, name)
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// runes each cost one.
func distance(a, b string) int {
	r, s := []rune(a), []rune(b)
	prev2 := make([]int, len(s)+1)
	prev := make([]int, len(s)+1)
	cur := make([]int, len(s)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(r); i++ {
		cur[0] = i
		for j := 1; j <= len(s); j++ {
			cost := 1
			if r[i-1] == s[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && r[i-1] == s[j-2] && r[i-2] == s[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(s)]
}
