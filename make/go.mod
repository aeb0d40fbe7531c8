// This module only fences off the JavaScript package in this folder, so
// that Go tooling run from the repository root (go test ./..., go vet,
// staticcheck) never walks into its node_modules.
module billbridge/make-js

go 1.26
