// Command ravand-ferretdb runs an embedded FerretDB 1.24 (SQLite handler) for Ravand.
//
// It is a wrapper of our own because `go install .../cmd/ferretdb` panics at start
// (its version file is not part of the module; FerretDB issue 2982).
// Flags: -listen 127.0.0.1:PORT, -data DIR/ (must exist). Exits when stdin closes,
// so the database never outlives the Node process that started it.
// With -snapshot FILE.sqlite -into OUT.sqlite it copies one database file consistently instead
// (SQLite's VACUUM INTO on a read transaction; FerretDB runs in WAL mode, so it may keep writing).
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite"
)

// snapshot copies the SQLite file `from` into the new file `into` as of one transaction.
func snapshot(from, into string) error {
	if _, err := os.Stat(from); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+from+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("VACUUM INTO ?", into)
	return err
}

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (loopback only)")
	data := flag.String("data", "data/db/", "directory for the SQLite files")
	logLevel := flag.String("log-level", "error", "FerretDB log level: debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", true, "exit when standard input reaches EOF (parent died)")
	snapshotFrom := flag.String("snapshot", "", "copy this SQLite database file consistently (with -into) and exit")
	snapshotInto := flag.String("into", "", "the new file that -snapshot writes")
	flag.Parse()

	if *snapshotFrom != "" {
		if err := snapshot(*snapshotFrom, *snapshotInto); err != nil {
			fmt.Fprintln(os.Stderr, "ravand-ferretdb: snapshot failed:", err)
			os.Exit(1)
		}
		return
	}

	if !strings.HasPrefix(*listen, "127.") && !strings.HasPrefix(*listen, "localhost:") {
		fmt.Fprintln(os.Stderr, "ravand-ferretdb: refusing to listen on a non-loopback address (FerretDB has no auth here)")
		os.Exit(2)
	}
	dir, err := filepath.Abs(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ravand-ferretdb:", err)
		os.Exit(2)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "ravand-ferretdb: data folder not writable:", err)
		os.Exit(3)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "ravand-ferretdb: bad -log-level:", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ravand-ferretdb:", err)
		os.Exit(1)
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if *watchStdin {
		go func() {
			// the parent holds our stdin open; EOF means it exited, even by SIGKILL
			_, _ = io.Copy(io.Discard, os.Stdin)
			cancel()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	fmt.Fprintln(os.Stdout, "ravand-ferretdb: listening", *listen)
	if err := <-done; err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "ravand-ferretdb:", err)
		os.Exit(1)
	}
}
