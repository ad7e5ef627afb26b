//go:build ignore

// Ravand's addition to FerretDB 1.24 (copied into the module before the build, without the line above;
// see FERRETDB_OVERLAY in ferretdb-patches.ts).
//
// The SQLite backend pushes down only a filter on one `_id` value; `{_id: {$in: [...]}}` read and parsed every
// document of the collection. A page of ended instances or a batch of audit entries is read by a list of ids,
// so without this each page was one round trip per document. The clause only narrows what SQLite reads: the
// handler applies the whole filter to what comes back, as it always does.

package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
)

// maxIDsIn bounds the ids of one pushed-down `$in` (SQLite allows 32,766 parameters).
const maxIDsIn = 1000

// idInWhereClause returns the WHERE clause and its arguments for an `_id` condition that is exactly `$in` over
// at most maxIDsIn ids of the kinds the `_id` equality pushes down (strings, ObjectIds, whole numbers), using
// the `_id` index; else no clause (every document is read and filtered, as before).
func idInWhereClause(cond any) (string, []any) {
	doc, ok := cond.(*types.Document)
	if !ok || doc.Len() != 1 {
		return "", nil
	}

	in, err := doc.Get("$in")
	if err != nil {
		return "", nil
	}

	arr, ok := in.(*types.Array)
	if !ok || arr.Len() == 0 || arr.Len() > maxIDsIn {
		return "", nil
	}

	args := make([]any, 0, arr.Len())

	for i := 0; i < arr.Len(); i++ {
		v, err := arr.Get(i)
		if err != nil {
			return "", nil
		}

		switch v.(type) {
		case string, types.ObjectID, int32, int64:
			b, err := sjson.MarshalSingleValue(v)
			if err != nil {
				return "", nil
			}

			args = append(args, string(b))
		default:
			return "", nil
		}
	}

	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")

	return fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, placeholders), args
}
