package history

import (
	"fmt"
	"strings"
	"testing"
)

// The queries that page through history read an index in order and stop
// after a page: none of them sorts its matches (which cost 0.4-0.9 s for
// a common word among a million messages) or scans the table.
func TestPagingQueriesNeedNoSort(t *testing.T) {
	s := openTemp(t)
	for name, q := range map[string]string{
		"search": fmt.Sprintf(searchSQL, prefixed("m.", columns)),
		"last":   lastSQL,
		"before": beforeSQL,
		"newID":  lastInBucketSQL,
	} {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, "x", "", 1, 1)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		if strings.Contains(all, "TEMP B-TREE") || strings.Contains(all, "SCAN messages ") || strings.HasSuffix(all, "SCAN messages") {
			t.Errorf("%s is planned as %q: a sort or a table scan", name, all)
		}
	}
}
