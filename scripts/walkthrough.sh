#!/usr/bin/env bash
# Replays the README's walk-through in a real terminal, 80 columns wide (tmux), over a fresh store,
# and prints what the terminal shows. With --write, puts it into README.md between the
# `<!-- walkthrough -->` markers. Run it whenever the output changes (needs tmux; builds nothing:
# run `npm run build` first).
#
#   scripts/walkthrough.sh            print the transcript
#   scripts/walkthrough.sh --write    update README.md
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
home=$(mktemp -d)
session="tix-walkthrough-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$home"' EXIT

# An upcoming event, three weeks ahead at 20:00 UTC, whenever this runs.
starts=$(node -e 'const d = new Date(Date.now() + 21 * 86400000); d.setUTCHours(20, 0, 0, 0); console.log(d.toISOString().slice(0, 16) + "Z")')

tmux new-session -d -s "$session" -x 80 -y 50 \
  "env -i HOME=$home TIX_HOME=$home PATH=$root/bin:/usr/local/bin:/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 TZ=UTC PS1='$ ' PS2='> ' bash --norc --noprofile"

prompts=1
wait_for_prompt() {
  for _ in $(seq 1 300); do
    local screen
    screen=$(tmux capture-pane -p -t "$session" -S - -E -)
    if [ "$(grep -cE '^\$( |$)' <<<"$screen")" -ge "$prompts" ] && [ "$(grep -v '^$' <<<"$screen" | tail -1)" = '$' ]; then
      return 0
    fi
    sleep 0.1
  done
  echo "walkthrough: no prompt after: $1" >&2
  exit 1
}

# Types a command (its lines, when it has several: a backslash ends all but the last) and waits for the next prompt.
run() {
  local line
  while IFS= read -r line; do
    tmux send-keys -t "$session" -l "$line"
    tmux send-keys -t "$session" Enter
  done <<<"$1"
  prompts=$((prompts + 1))
  wait_for_prompt "$1"
}

wait_for_prompt "start"
run "export TIX_USER=alice"
run "tix seed"
run "tix event create --id evt_blues_night --name 'Blues Night' \\
  --venue 'Blue Room' --starts-at $starts \\
  --capacity 200 --price 30.00"
run "tix event list"
run "tix reserve evt_blues_night --key order-1001"
ticket=$(tmux capture-pane -p -t "$session" -S - -E - | sed -n 's/^Ticket *\(tkt_[a-z0-9]*\) .*/\1/p' | tail -1)
run "tix reserve evt_blues_night --key order-1001      # a retry: the same ticket"
run "tix purchase $ticket    # the test card 4242… by default"
run "tix ticket list"
run "tix report evt_blues_night"

transcript=$(tmux capture-pane -p -t "$session" -S - -E - | sed -e 's/[[:space:]]*$//' | sed -e '$ { /^\$$/d }' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')
transcript=$(sed -e '$ { /^\$$/d }' <<<"$transcript")

if [ "${1:-}" = "--write" ]; then
  TRANSCRIPT="$transcript" node -e '
    const fs = require("fs");
    const file = process.argv[1];
    const readme = fs.readFileSync(file, "utf8");
    const block = "<!-- walkthrough -->\n```console\n" + process.env.TRANSCRIPT + "\n```\n<!-- /walkthrough -->";
    const next = readme.replace(/<!-- walkthrough -->[\s\S]*?<!-- \/walkthrough -->/, () => block);
    if (next === readme && !readme.includes(block)) throw new Error("README.md has no <!-- walkthrough --> markers");
    fs.writeFileSync(file, next);' "$root/README.md"
  echo "walkthrough: README.md updated" >&2
else
  printf '%s\n' "$transcript"
fi
