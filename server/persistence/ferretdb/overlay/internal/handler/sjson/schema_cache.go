//go:build ignore

// Ravand's addition to FerretDB 1.24 (copied into the module before the build, without the line above;
// see FERRETDB_OVERLAY in ferretdb-patches.ts).
//
// Every stored document carries its schema (`$s`: the type of each field, in order) beside its data, and
// sjson.Unmarshal parsed it strictly, by reflection into maps, for every document it read: a Go CPU profile of
// a collection scan put that parse at about 28% of FerretDB's CPU. The documents of a collection have few
// distinct schemas, so each distinct schema text is parsed once and the parsed schema is shared. Nothing
// changes a parsed schema (Unmarshal only reads it). The cache holds at most schemaCacheMax schemas; beyond
// that a schema is parsed as before, every time.

package sjson

import (
	"bytes"
	"encoding/json"
	"sync"
)

// schemaCacheMax bounds the cache (a schema text is a few hundred bytes to a few kilobytes).
const schemaCacheMax = 4096

var (
	schemaCacheM sync.RWMutex
	schemaCache  = make(map[string]*schema)
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

	schemaCacheM.Lock()
	if len(schemaCache) < schemaCacheMax {
		schemaCache[string(jsch)] = sch
	}
	schemaCacheM.Unlock()

	return sch, nil
}
