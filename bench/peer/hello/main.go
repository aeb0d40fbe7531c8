// Command hello is the bare net/http baseline of bench/peer: it answers
// every request with a short text body, nothing else. Its throughput is
// the ceiling a Go HTTP server reaches on the machine at the time of the run.
//
//	go run ./bench/peer/hello -addr 127.0.0.1:18090
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "listen address")
	flag.Parse()
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Hello, World!\n"))
	})))
}
