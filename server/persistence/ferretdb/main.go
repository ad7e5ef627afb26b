// Command ravand-ferretdb runs an embedded FerretDB 1.24 (SQLite handler) for Ravand.
//
// It is a wrapper of our own because `go install .../cmd/ferretdb` panics at start
// (its version file is not part of the module; FerretDB issue 2982).
// Flags: -listen 127.0.0.1:PORT, -data DIR/ (must exist). Exits when stdin closes,
// so the database never outlives the Node process that started it.
package main

import (
	"context"
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
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (loopback only)")
	data := flag.String("data", "data/db/", "directory for the SQLite files")
	logLevel := flag.String("log-level", "error", "FerretDB log level: debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", true, "exit when standard input reaches EOF (parent died)")
	flag.Parse()

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
