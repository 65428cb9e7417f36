#!/bin/sh
# Makes assets/screenshot.png: the real hst-tui on the demo file, in xterm under Xvfb, driven
# through tmux. Needs: apt-get install xvfb xterm tmux imagemagick x11-utils fonts-dejavu-core
set -eu
cd "$(dirname "$0")/.."
cargo build --release --bin hst-tui
export DISPLAY=:77
Xvfb "$DISPLAY" -screen 0 1400x900x24 >/dev/null 2>&1 &
XVFB=$!
trap 'tmux kill-session -t hst-shot 2>/dev/null || true; kill $XVFB' EXIT
sleep 1
xterm -geometry 112x30+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#1e1e2e' -fg '#cdd6f4' \
  -e tmux new-session -s hst-shot './target/release/hst-tui --demo' \; set status off &
sleep 2
# Open github → personal in the tree, then fuzzy-search for "token".
tmux send-keys -t hst-shot Tab j l j Tab / t o k e n
sleep 1
WID=$(xwininfo -root -tree | awk '/xterm|XTerm|tmux/ {print $1; exit}')
import -window "$WID" assets/screenshot.png
tmux send-keys -t hst-shot Escape q
