//go:build ignore

// Ravand's addition to FerretDB 1.24 (copied into the module before the build, without the line above;
// see FERRETDB_OVERLAY in ferretdb-patches.ts).
//
// Every stored document carries its schema (`$s`: the type of each field, in order) beside its data, and
// sjson.Unmarshal parsed it strictly, by reflection into maps, for every document it read: a Go CPU profile of
// a collection scan put that parse at about 28% of FerretDB's CPU. The documents of a collection have few
// distinct schemas, so each distinct schema text is parsed once and the parsed schema is shared. Nothing
// changes a parsed schema (Unmarshal only reads it). Only schemas of flat documents are kept (text of at most
// schemaCacheMaxText bytes), within schemaCacheBudget bytes of text in all: a document with an array has a
// schema per length and item types (a day bucket of 1 to 100 items, a trail), so those would fill the cache
// with schemas seldom met twice. Anything not kept is parsed as before, every time.

package sjson

import (
	"bytes"
	"encoding/json"
	"sync"
)

const (
	// schemaCacheMaxText is the longest schema text kept (an instance's or a task's is under 1 KB).
	schemaCacheMaxText = 4 << 10
	// schemaCacheBudget bounds the text of all kept schemas (the parsed ones take a few times as much).
	schemaCacheBudget = 1 << 20
)

var (
	schemaCacheM    sync.RWMutex
	schemaCache     = make(map[string]*schema)
	schemaCacheUsed int
)

// cachedSchema returns the parsed schema of the schema text jsch, parsed strictly as before (unknown fields
// and trailing data refused) the first time it is seen.
func cachedSchema(jsch []byte) (*schema, error) {
	schemaCacheM.RLock()
	sch, ok := schemaCache[string(jsch)]
	schemaCacheM.RUnlock()

	if ok {
		return sch, nil
	}

	sch = new(schema)
	r := bytes.NewReader(jsch)
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()

	if err := dec.Decode(sch); err != nil {
		return nil, err
	}

	if err := checkConsumed(dec, r); err != nil {
		return nil, err
	}

	if len(jsch) <= schemaCacheMaxText {
		schemaCacheM.Lock()
		if _, ok := schemaCache[string(jsch)]; !ok && schemaCacheUsed+len(jsch) <= schemaCacheBudget {
			schemaCache[string(jsch)] = sch
			schemaCacheUsed += len(jsch)
		}
		schemaCacheM.Unlock()
	}

	return sch, nil
}
