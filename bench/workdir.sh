# Sourced by the bench scripts (from the repository root): $work, a fresh
# folder, and $pids, the processes the script starts; on exit the processes
# are stopped and the folder removed.
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
