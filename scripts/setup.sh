#!/usr/bin/env bash
# Installs what the build needs, only what is missing (idempotent), and prepares the environment
# for Emscripten. Works on a fresh Debian bookworm machine (root, Debian apt + npm registries).
#
#   bash scripts/setup.sh        # install / check only
#   source scripts/setup.sh      # same, and keep the exported variables (scripts/build.sh does this)
#
# Exports: NODE_PATH (must reach Debian's node-acorn for em++ -O2 links), JR_ROOT, JR_WASM_INCLUDE_DIR.
# Makes:   build/wasm-include/{nlohmann,catch2,date} -> /usr/include/... (symlinks only: em++ must
#          never get -I/usr/include), node_modules/ via `npm ci` when package-lock.json changed.

jr_setup_log() { printf '[setup] %s\n' "$*" >&2; }

jr_setup_main() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  export JR_ROOT="$root"

  # --- 1. Debian packages --------------------------------------------------------------------
  local packages=(emscripten nlohmann-json3-dev catch2 libhowardhinnant-date-dev cmake g++)
  local missing=() pkg
  for pkg in "${packages[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]})); then
    jr_setup_log "installing Debian packages: ${missing[*]}"
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
      if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
        jr_setup_log "not root and no sudo: install these packages first: ${missing[*]}"; return 1
      fi
    fi
    "${sudo[@]}" apt-get -q update || return 1
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "${missing[@]}" || return 1
  fi

  # --- 2. NODE_PATH for Emscripten's acorn-optimizer.js -----------------------------------------
  local node_mod_dir=/usr/share/nodejs
  if [[ ! -f "$node_mod_dir/acorn/package.json" ]]; then
    local acorn_pkg
    acorn_pkg="$(dpkg -L node-acorn 2>/dev/null | grep -E '/acorn/package\.json$' | head -n1 || true)"
    if [[ -n "$acorn_pkg" ]]; then
      node_mod_dir="$(dirname "$(dirname "$acorn_pkg")")"
    else
      jr_setup_log "warning: Debian's acorn (package node-acorn) not found; em++ -O2 links may fail"
    fi
  fi
  case ":${NODE_PATH:-}:" in
    *":$node_mod_dir:"*) ;;
    *) export NODE_PATH="$node_mod_dir${NODE_PATH:+:$NODE_PATH}" ;;
  esac

  # --- 3. Header folder for em++ (only the three libraries, never all of /usr/include) ----------
  export JR_WASM_INCLUDE_DIR="$root/build/wasm-include"
  mkdir -p "$JR_WASM_INCLUDE_DIR" || return 1
  local lib
  for lib in nlohmann catch2 date; do
    if [[ ! -d "/usr/include/$lib" ]]; then
      jr_setup_log "/usr/include/$lib is missing"; return 1
    fi
    if [[ "$(readlink "$JR_WASM_INCLUDE_DIR/$lib" 2>/dev/null)" != "/usr/include/$lib" ]]; then
      rm -rf "${JR_WASM_INCLUDE_DIR:?}/$lib"
      ln -s "/usr/include/$lib" "$JR_WASM_INCLUDE_DIR/$lib" || return 1
    fi
  done

  # --- 4. npm dependencies ----------------------------------------------------------------------
  if [[ ! -f "$root/package-lock.json" ]]; then
    jr_setup_log "package-lock.json is missing (it must be committed)"; return 1
  fi
  local lock_hash stamp="$root/node_modules/.jr-package-lock.sha256"
  lock_hash="$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)" || return 1
  if [[ ! -d "$root/node_modules" || "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]]; then
    jr_setup_log "npm ci"
    (cd "$root" && npm ci --no-audit --no-fund) || return 1
    mkdir -p "$root/node_modules" && printf '%s\n' "$lock_hash" >"$stamp" || return 1
  fi
  return 0
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  jr_setup_main
else
  jr_setup_main || return 1
fi
