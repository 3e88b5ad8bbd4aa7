#!/usr/bin/env python3
"""Builds what the container image builds, from exactly what the image's build context holds.

Usage: check_image_context.py SOURCE_DIR [--configure-only] [--keep] [--jobs N] [--build-arg NAME=VALUE]...

No base image is pulled (these machines cannot): the Dockerfile is parsed instead, and its
build stage is replayed on the host (Debian 12 with the same -dev packages, scripts/install-deps.sh):

  1. the build context: every file under SOURCE_DIR that .dockerignore lets through (Docker's
     rules: patterns in order, the last match wins, `!` re-includes, a pattern matching a parent
     directory matches everything below it, `**` spans directories);
  2. the build stage's COPY lines (those without --from) copy from that context into an empty
     temporary folder standing for the stage's root (WORKDIR is honoured);
  3. the stage's RUN lines that run cmake are executed there with `bash -e`, with the ARG
     defaults as environment (JOBS from --jobs, default 2; others from --build-arg, as with
     `docker build --build-arg`) and every absolute path the image
     creates (/src, /build, /out, ...: first component not a standard system directory)
     moved under the temporary root;
  4. every binary the stage installs into a folder the runtime stage takes (COPY --from=STAGE)
     must exist and, like the runtime stage's own check, exit 2 (invalid configuration) when
     run with no settings.

So a COPY or .dockerignore change that leaves out a directory the CMake tree needs fails here,
as it would in `docker build`. With --configure-only only the cmake configure step runs (fast).
Exits 0 when everything passes, 1 otherwise.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

SYSTEM_DIRS = {"usr", "bin", "sbin", "lib", "lib64", "etc", "var", "tmp", "opt", "dev", "proc", "sys",
               "home", "root", "run", "nonexistent"}


def fail(message):
    print(f"check_image_context: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


# ------------------------------------------------------------------------------- Dockerfile

def instructions(dockerfile_text):
    """(INSTRUCTION, rest) pairs: comments dropped, backslash continuations joined."""
    out, current = [], ""
    for line in dockerfile_text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        word, _, rest = current.partition(" ")
        out.append((word.upper(), rest.strip()))
        current = ""
    if current:
        word, _, rest = current.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def stages(instrs):
    """List of dicts: name, base, instructions (the ones after its FROM)."""
    result = []
    for word, rest in instrs:
        if word == "FROM":
            parts = [p for p in rest.split() if not p.startswith("--")]
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else str(len(result))
            result.append({"name": name, "base": parts[0], "instructions": []})
        elif result:
            result[-1]["instructions"].append((word, rest))
    return result


def copy_args(rest):
    """COPY [--flags] SRC... DEST (shell or JSON form) → (flags, sources, dest)."""
    rest = rest.strip()
    flags = {}
    while rest.startswith("--"):
        flag, _, rest = rest.partition(" ")
        key, _, value = flag[2:].partition("=")
        flags[key] = value
        rest = rest.strip()
    if rest.startswith("["):
        import json
        args = json.loads(rest)
    else:
        args = shlex.split(rest)
    return flags, args[:-1], args[-1]


# ------------------------------------------------------------------------------ .dockerignore

def pattern_regex(pattern):
    """Docker (moby patternmatcher) glob → regex over a slash-separated relative path."""
    regex, i = "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i:i + 2] == "**":
                i += 1
                if pattern[i + 1:i + 2] == "/":
                    i += 1
                    regex += "(.*/)?"
                else:
                    regex += ".*"
            else:
                regex += "[^/]*"
        elif ch == "?":
            regex += "[^/]"
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            regex += re.escape(pattern[i])
        elif ch == "[":
            end = pattern.find("]", i)
            if end < 0:
                regex += re.escape(ch)
            else:
                regex += pattern[i:end + 1].replace("[!", "[^")
                i = end
        else:
            regex += re.escape(ch)
        i += 1
    return re.compile("^" + regex + "$")


def load_dockerignore(path):
    rules = []
    if not os.path.exists(path):
        return rules
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:].strip()
        line = os.path.normpath(line).lstrip("/")
        if line in ("", "."):
            continue
        rules.append((negate, pattern_regex(line)))
    return rules


def excluded(rel, rules):
    """Whether the context path rel (slash-separated) is left out of the build context."""
    parts = rel.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    result = False
    for negate, regex in rules:
        if any(regex.match(c) for c in candidates):
            result = not negate
    return result


def context_files(source_dir, rules):
    files = []
    for root, dirs, names in os.walk(source_dir):
        rel_root = os.path.relpath(root, source_dir)
        rel_root = "" if rel_root == "." else rel_root.replace(os.sep, "/")
        if rel_root == ".git" or rel_root.startswith(".git/"):
            dirs[:] = []
            continue
        for n in names:
            rel = f"{rel_root}/{n}" if rel_root else n
            if not excluded(rel, rules):
                files.append(rel)
    return set(files)


# ----------------------------------------------------------------------------------- replay

def main(argv):
    args = argv[1:]
    configure_only = "--configure-only" in args
    keep = "--keep" in args
    jobs = os.environ.get("JOBS", "2")
    if "--jobs" in args:
        jobs = args[args.index("--jobs") + 1]
    build_args = {"JOBS": jobs}
    for i, a in enumerate(args[:-1]):
        if a == "--build-arg":
            name, eq, value = args[i + 1].partition("=")
            if not eq:
                fail(f"--build-arg {args[i + 1]}: expected NAME=VALUE")
            build_args[name] = value
    positional = [a for i, a in enumerate(args)
                  if not a.startswith("--") and (i == 0 or args[i - 1] not in ("--jobs", "--build-arg"))]
    if len(positional) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    source = os.path.abspath(positional[0])
    dockerfile = os.path.join(source, "Dockerfile")
    if not os.path.exists(dockerfile):
        fail(f"no Dockerfile in {source}")

    all_stages = stages(instructions(open(dockerfile, encoding="utf-8").read()))
    if not all_stages:
        fail("the Dockerfile has no FROM")
    # Stages whose output a later stage copies (COPY --from=NAME); the build stage is the first of them.
    taken = {}
    for st in all_stages:
        for word, rest in st["instructions"]:
            if word == "COPY":
                flags, srcs, dest = copy_args(rest)
                if flags.get("from"):
                    taken.setdefault(flags["from"], []).extend(srcs)
    build_stages = [st for st in all_stages if st["name"] in taken]
    if not build_stages:
        fail("no stage's output is copied by another (COPY --from=...): cannot tell the build stage")
    stage = build_stages[0]
    print(f"check_image_context: build stage '{stage['name']}' (FROM {stage['base']}); "
          f"the runtime takes {taken[stage['name']]} from it")
    for st in all_stages:
        if "@sha256:" not in st["base"]:
            print(f"  note: FROM {st['base']} is not pinned by digest (docs/deploy.md, 'Base images')")

    rules = load_dockerignore(os.path.join(source, ".dockerignore"))
    context = context_files(source, rules)
    print(f"  build context: {len(context)} files after .dockerignore ({len(rules)} patterns)")

    tmp = tempfile.mkdtemp(prefix="switchyard-image-")
    ok = False
    try:
        ok = replay(stage, taken[stage["name"]], source, context, tmp, build_args, configure_only)
    finally:
        if keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"check_image_context: {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


def rooted(path, tmp):
    """An absolute path inside the image → its place under tmp (system directories stay)."""
    first = path.lstrip("/").split("/", 1)[0]
    return path if first in SYSTEM_DIRS else tmp + path


def rewrite_paths(command, tmp):
    return re.sub(r"(?<![\w./$-])(/[A-Za-z0-9_][A-Za-z0-9_./-]*)", lambda m: rooted(m.group(1), tmp), command)


def shell_steps(command):
    return [s.strip() for s in re.split(r"&&|\|\||;", command)]


def replay(stage, taken_paths, source, context, tmp, build_args, configure_only):
    workdir = "/"
    env = dict(os.environ)
    env.pop("MAKEFLAGS", None)
    copied = 0
    cmake_runs = 0
    for word, rest in stage["instructions"]:
        if word == "WORKDIR":
            workdir = os.path.join(workdir, rest)
            os.makedirs(rooted(workdir, tmp), exist_ok=True)
        elif word == "ARG":
            name, _, default = rest.partition("=")
            env[name] = build_args.get(name, default)
        elif word == "ENV":
            name, _, value = rest.partition("=")
            env[name] = value.strip('"')
        elif word == "COPY" or word == "ADD":
            flags, srcs, dest = copy_args(rest)
            if flags.get("from"):
                continue
            dest_abs = dest if dest.startswith("/") else os.path.join(workdir, dest)
            for src in srcs:
                src = os.path.normpath(src).lstrip("/")
                matched = sorted(f for f in context if f == src or f.startswith(src + "/"))
                if not matched:
                    print(f"  FAIL  {word} {src}: nothing in the build context (.dockerignore leaves it out?)")
                    return False
                for f in matched:
                    if f == src:  # a single file: into dest (a directory when dest ends in /)
                        target = os.path.join(dest_abs, os.path.basename(f)) if dest.endswith("/") or dest in (".", "./") else dest_abs
                    else:         # a directory: its contents into dest
                        target = os.path.join(dest_abs, os.path.relpath(f, src))
                    target = rooted(os.path.normpath(target), tmp)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copy2(os.path.join(source, f), target)
                    copied += 1
                print(f"  ok    {word} {src} -> {dest_abs}: {len(matched)} files")
        elif word == "RUN" and any(step.startswith("cmake ") for step in shell_steps(rest)):
            command = rewrite_paths(rest, tmp)
            if configure_only:
                steps = shell_steps(command)
                command = next((s for s in steps if s.startswith("cmake") and " -S " in f" {s} "), None)
                if command is None:
                    print("  FAIL  no cmake configure step (cmake -S ...) in the build stage")
                    return False
            print(f"  run   (in {rooted(workdir, tmp)}) {command}", flush=True)
            proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=rooted(workdir, tmp), env=env)
            if proc.returncode != 0:
                print(f"  FAIL  the build stage's RUN exited {proc.returncode}")
                return False
            cmake_runs += 1
            if configure_only:
                break
    if cmake_runs == 0:
        print("  FAIL  the build stage runs no cmake")
        return False
    print(f"  ok    {copied} files copied, {cmake_runs} cmake RUN step(s) succeeded")
    if configure_only:
        return True

    ok = True
    for path in taken_paths:
        where = rooted(os.path.normpath(path if path.startswith("/") else os.path.join(workdir, path)), tmp)
        binaries = sorted(os.path.join(where, b) for b in os.listdir(where)) if os.path.isdir(where) else []
        if not binaries:
            print(f"  FAIL  {path}: the runtime copies it, but the build stage put nothing there")
            ok = False
        for b in binaries:
            try:
                rc = subprocess.run([b], env={}, capture_output=True, timeout=30).returncode
            except (OSError, subprocess.SubprocessError) as e:
                rc = repr(e)
            good = rc == 2
            ok &= good
            print(f"  {'ok   ' if good else 'FAIL '} {os.path.basename(b)} without settings exits {rc} (expected 2, invalid configuration)")
    return ok


if __name__ == "__main__":
    sys.exit(main(sys.argv))
