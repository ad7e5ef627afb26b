/** What our build of FerretDB 1.24 changes in its source (applied by `ensureBinary` in `embedded-db.ts`). */

/**
 * Fixes applied to FerretDB's source before we build it (1.24 is the last release with the SQLite backend,
 * so no upstream release will carry them). Each `from` must occur exactly once, or the build stops.
 *
 * - `_id` lookups scanned the whole table. The SQLite backend filters on `sjson->'$._id'` but creates the
 *   unique `_id` index on `sjson->"_id"`; SQLite uses an expression index only for the very same expression,
 *   so every find, update and delete by `_id` read and parsed every document of the collection (the same
 *   kind of bug as FerretDB issue 4646 on PostgreSQL). Existing databases already have the right index.
 * - A find by a whole-number `_id` (the audit chain's seq) scanned the whole table: the query pushes down only
 *   string and ObjectId ids. Whole numbers marshal to the same JSON text the index holds, so they use it too
 *   (the handler still applies the filter to what comes back). Measured: one audit entry among 1.3 million
 *   read in milliseconds instead of a scan of them all.
 * - Group commit for update and delete commands: the statements of one command share one transaction, each
 *   under a savepoint, committed once before the command answers (the functions are in `FERRETDB_OVERLAY`).
 *   Before, every document of a bulk update or delete was a transaction of its own, and its commit with the
 *   write-ahead log's fsync was about 30% of FerretDB's CPU per document. Only the commits move: a statement
 *   that fails is undone alone and the ones before it stay, as before and as on MongoDB. The reads of a
 *   command see its own writes (they go through the shared transaction once it has begun); an upsert's
 *   insert joins it too.
 * - Less CPU per document read. A find reads and parses every document the SQLite backend cannot filter, so
 *   a start-up's read of the active instances and open tasks is a parse of thousands of documents; a Go CPU
 *   profile of such a read showed two costs that are not the parse itself:
 *   - `resource.Track`, FerretDB's leak detector for its own tests, recorded a stack and set a finalizer for
 *     every document iterator and every row set (about 7% of the CPU). Only diagnostics read what it records;
 *     it is off in our build (`trackResources`).
 *   - sjson decoded each document, and each string and binary value in it, through a `json.Decoder`, which
 *     copies its input into a growing buffer before it parses (`refill`, about 8%). `json.Unmarshal` parses
 *     the bytes in place, with the same parser and checks (trailing data other than spaces is still refused; what
 *     FerretDB wrote has none). The schema is still decoded strictly (unknown fields refused), as before.
 *   Measured on 5,000 active instance documents (a start-up's read): FerretDB's CPU for the whole read
 *   1.38-1.68 s before, 1.02-1.12 s after.
 * - Each document's schema (`$s`, the type of every field) was parsed strictly, by reflection into maps, for
 *   every document read: about 28% of FerretDB's CPU in a scan of the open tasks. A collection's documents
 *   have few distinct schemas, so each distinct flat schema is parsed once and shared (texts up to 4 KB,
 *   1 MB of text in all; the cache is in `FERRETDB_OVERLAY`). A scan of 5,000 open tasks: 860 -> 622 ms.
 */
export const FERRETDB_PATCHES = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + `->"_id"`',
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    from: '\t\tcase string, types.ObjectID:\n\t\t\twhereClause',
    to: '\t\tcase string, types.ObjectID, int32, int64:\n\t\t\twhereClause',
  },
  // `_id: {$in: [...]}` through the `_id` index (id_in.go in FERRETDB_OVERLAY), in a find and in its explain
  {
    file: 'internal/backends/sqlite/collection.go',
    from: '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n\t\t}\n\t}\n\n\tq += whereClause\n',
    to:
      '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n' +
      '\t\tcase *types.Document:\n\t\t\twhereClause, args = idInWhereClause(v)\n\t\t}\n\t}\n\n\tq += whereClause\n',
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    from: '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n\t\t}\n\t}\n\n\torderByClause :=',
    to:
      '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n' +
      '\t\tcase *types.Document:\n\t\t\twhereClause, args = idInWhereClause(v)\n' +
      '\t\t\tfilterPushdown = whereClause != ""\n\t\t}\n\t}\n\n\torderByClause :=',
  },
  // group commit (see above): the collection's reads and writes go through the command's batch, if any
  {
    file: 'internal/backends/sqlite/collection.go',
    from: '\t\targs = append(args, params.Limit)\n\t}\n\n\trows, err := db.QueryContext(',
    to: '\t\targs = append(args, params.Limit)\n\t}\n\n\trows, err := db.BatchQueryContext(',
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    from: '\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n\t\tbatchSize := c.r.BatchSize',
    to: '\terr := db.InBatch(ctx, func(tx *fsql.Tx) error {\n\t\tbatchSize := c.r.BatchSize',
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    from: '\terr := db.InTransaction(ctx, func(tx *fsql.Tx) error {\n\t\tfor _, doc := range params.Docs {',
    to: '\terr := db.InBatch(ctx, func(tx *fsql.Tx) error {\n\t\tfor _, doc := range params.Docs {',
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    from: 'strings.Join(placeholders, ", "))\n\n\tres, err := db.ExecContext(ctx, q, args...)',
    to: 'strings.Join(placeholders, ", "))\n\n\tres, err := db.BatchExecContext(ctx, q, args...)',
  },
  // an update command: its statements in one batch, committed before it answers
  {
    file: 'internal/handler/msg_update.go',
    from: '\t"github.com/FerretDB/FerretDB/internal/util/iterator"\n',
    to: '\t"github.com/FerretDB/FerretDB/internal/util/fsql"\n\t"github.com/FerretDB/FerretDB/internal/util/iterator"\n',
  },
  {
    file: 'internal/handler/msg_update.go',
    from: '\tmatched, modified, upserted, err := h.updateDocument(connCtx, params)\n',
    to:
      '\tbatchCtx, batch := fsql.WithBatch(connCtx)\n' +
      '\tmatched, modified, upserted, err := h.updateDocument(batchCtx, params)\n' +
      '\tif ferr := batch.Finish(); err == nil {\n\t\terr = ferr\n\t}\n',
  },
  // a delete command likewise (the deferred Finish commits what came before an error that ends it early)
  {
    file: 'internal/handler/msg_delete.go',
    from: '\t"github.com/FerretDB/FerretDB/internal/util/iterator"\n',
    to: '\t"github.com/FerretDB/FerretDB/internal/util/fsql"\n\t"github.com/FerretDB/FerretDB/internal/util/iterator"\n',
  },
  {
    file: 'internal/handler/msg_delete.go',
    from: '\tvar deleted int32\n\twriteErrors := types.MakeArray(0)\n',
    to:
      '\tvar deleted int32\n\twriteErrors := types.MakeArray(0)\n' +
      '\tbatchCtx, batch := fsql.WithBatch(connCtx)\n' +
      '\tdefer func() { _ = batch.Finish() }()\n',
  },
  {
    file: 'internal/handler/msg_delete.go',
    from: '\t\td, err = h.execDelete(connCtx, c, &p)\n',
    to: '\t\td, err = h.execDelete(batchCtx, c, &p)\n',
  },
  {
    file: 'internal/handler/msg_delete.go',
    from: '\tres := must.NotFail(types.NewDocument(\n\t\t"n", deleted,\n',
    to:
      '\tif err := batch.Finish(); err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n\n' +
      '\tres := must.NotFail(types.NewDocument(\n\t\t"n", deleted,\n',
  },
  // less CPU per document read (see above): FerretDB's resource tracking off
  {
    file: 'internal/util/resource/resource.go',
    from: '// profilesM protects access to profiles.\n',
    to:
      "// trackResources turns Track and Untrack off in our build (a leak detector for FerretDB's tests).\n" +
      'const trackResources = false\n\n// profilesM protects access to profiles.\n',
  },
  {
    file: 'internal/util/resource/resource.go',
    from: '\tcheckArgs(obj, token)\n\n\tname := profileName(obj)\n',
    to: '\tcheckArgs(obj, token)\n\tif !trackResources {\n\t\treturn\n\t}\n\n\tname := profileName(obj)\n',
  },
  {
    file: 'internal/util/resource/resource.go',
    from: '\tcheckArgs(obj, token)\n\n\tp := pprof.Lookup(profileName(obj))\n',
    to: '\tcheckArgs(obj, token)\n\tif !trackResources {\n\t\treturn\n\t}\n\n\tp := pprof.Lookup(profileName(obj))\n',
  },
  // sjson: the document, its strings and its binaries parsed in place
  {
    file: 'internal/handler/sjson/sjson.go',
    from:
      '\tvar v map[string]json.RawMessage\n\tr := bytes.NewReader(data)\n\tdec := json.NewDecoder(r)\n\n' +
      '\terr := dec.Decode(&v)\n\tif err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n\n' +
      '\tif err = checkConsumed(dec, r); err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n',
    to: '\tvar v map[string]json.RawMessage\n\tif err := json.Unmarshal(data, &v); err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n',
  },
  // a document's schema parsed once per distinct schema (see schema_cache.go in FERRETDB_OVERLAY)
  {
    file: 'internal/handler/sjson/sjson.go',
    from:
      '\tvar sch schema\n\tr = bytes.NewReader(jsch)\n\tdec = json.NewDecoder(r)\n\tdec.DisallowUnknownFields()\n\n' +
      '\tif err := dec.Decode(&sch); err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n\n' +
      '\tif err := checkConsumed(dec, r); err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n',
    to: '\tsch, err := cachedSchema(jsch)\n\tif err != nil {\n\t\treturn nil, lazyerrors.Error(err)\n\t}\n',
  },
  {
    file: 'internal/handler/sjson/string.go',
    from:
      '\tr := bytes.NewReader(data)\n\tdec := json.NewDecoder(r)\n\n\tvar o string\n' +
      '\tif err := dec.Decode(&o); err != nil {\n\t\treturn lazyerrors.Error(err)\n\t}\n\n' +
      '\tif err := checkConsumed(dec, r); err != nil {\n\t\treturn lazyerrors.Error(err)\n\t}\n',
    to: '\tvar o string\n\tif err := json.Unmarshal(data, &o); err != nil {\n\t\treturn lazyerrors.Error(err)\n\t}\n',
  },
  {
    file: 'internal/handler/sjson/binary.go',
    from:
      '\tr := bytes.NewReader(data)\n\tdec := json.NewDecoder(r)\n\tdec.DisallowUnknownFields()\n\n\tvar o []byte\n\n' +
      '\terr := dec.Decode(&o)\n\tif err != nil {\n\t\treturn lazyerrors.Error(err)\n\t}\n\n' +
      '\tif err = checkConsumed(dec, r); err != nil {\n\t\treturn lazyerrors.Error(err)\n\t}\n',
    to: '\tvar o []byte\n\tif err := json.Unmarshal(data, &o); err != nil {\n\t\treturn lazyerrors.Error(err)\n\t}\n',
  },
];

/**
 * Go files added to FerretDB's source before the build, by their path in the module (the patches above call
 * them). Each starts with `//go:build ignore`, so that no Go tool takes them for part of our own module; the
 * copy drops that line.
 */
export const FERRETDB_OVERLAY = [
  'internal/util/fsql/batch.go',
  'internal/handler/sjson/schema_cache.go',
  'internal/backends/sqlite/id_in.go',
];
