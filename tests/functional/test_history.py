"""The history stage on real git repositories scripted here: commits with fixed authors and
dates, renames, a large commit, bots, a merge, bare and shallow clones, a non-UTF-8 name,
missing objects, the cache, and the repository left exactly as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import decompose.history as history_package
import decompose.history._gitlog as gitlog
import decompose.history._gitrun as gitrun
from decompose.errors import ConfigError, InputError
from decompose.history import (
    AuthorShare,
    CoChange,
    Commit,
    GroupCommits,
    History,
    HistoryOptions,
    authors,
    cochange,
    cross_group_commits,
    read_history,
    revisions,
)
from helpers.gitscript import BOB, DAY, HOUR, T0, Scripted

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OPTIONS = HistoryOptions()


def _seed(repo: Scripted, *paths: str) -> None:
    """Files with enough lines that git's rename detection recognises them after a move."""
    for relative in paths:
        file = repo.path / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("".join(f"seed_{i} = {i}\n" for i in range(20)), encoding="utf-8")
    repo.commit()


MODULES = {"a/x.py": "a.x", "b/y.py": "b.y", "c/z.py": "c.z"}


@pytest.fixture(scope="module")
def coupled(tmp_path_factory) -> Scripted:
    """Under src/: x and y change together 6 times, x and z 5 times; one commit of 40
    files, one of x, y and 30 text files, and one touching x, y and 29 files outside src."""
    repo = Scripted(tmp_path_factory.mktemp("coupled") / "repo")
    for _ in range(6):
        repo.commit("src/a/x.py", "src/b/y.py")
    for _ in range(5):
        repo.commit("src/a/x.py", "src/c/z.py")
    repo.commit("src/a/x.py", "src/b/y.py", *(f"src/bulk/m{i}.py" for i in range(38)))
    repo.commit("src/a/x.py", "src/b/y.py", *(f"src/docs/page{i}.txt" for i in range(30)))
    repo.commit("src/a/x.py", "src/b/y.py", *(f"elsewhere/f{i}.txt" for i in range(29)))
    return repo


@pytest.fixture(scope="module")
def coupled_history(coupled) -> History:
    found = read_history(coupled.path / "src", OPTIONS)
    assert found is not None
    return found


def test_modules_that_change_together_are_one_cochange_pair(coupled_history):
    # x: 6 + 5 revisions, y: 6, z: 5; the three large commits are left out.
    assert cochange(coupled_history, MODULES, OPTIONS) == (
        CoChange("a.x", "b.y", 6, 200 * 6 / (11 + 6)),
        CoChange("a.x", "c.z", 5, 200 * 5 / (11 + 5)),
    )
    assert revisions(coupled_history, MODULES, OPTIONS) == {"a.x": 11, "b.y": 6, "c.z": 5}


def test_thresholds_leave_out_rare_modules_and_pairs(coupled_history):
    assert cochange(coupled_history, MODULES, HistoryOptions(min_revisions=6)) == (
        CoChange("a.x", "b.y", 6, 200 * 6 / 17),
    )
    assert cochange(coupled_history, MODULES, HistoryOptions(min_shared=6)) == (
        CoChange("a.x", "b.y", 6, 200 * 6 / 17),
    )
    assert cochange(coupled_history, MODULES, HistoryOptions(min_shared=7)) == ()


def test_large_commits_count_every_file_they_touch(coupled_history):
    newest = coupled_history.commits[:3]
    # 29 files outside the folder: not in files, but in touched.
    assert newest[0].files == ("a/x.py", "b/y.py") and newest[0].touched == 31
    # text files are files too, with no line counts
    assert newest[1].touched == 32 and ("docs/page0.txt", 0, 0) in newest[1].changes
    assert newest[2].touched == 40 and len(newest[2].files) == 40
    assert ("a/x.py", 1, 0) in newest[2].changes
    # with a larger limit they count
    roomy = HistoryOptions(max_changeset=40)
    assert revisions(coupled_history, MODULES, roomy) == {"a.x": 14, "b.y": 9, "c.z": 5}
    assert cochange(coupled_history, MODULES, roomy)[0] == CoChange("a.x", "b.y", 9, 200 * 9 / 23)


def test_history_is_read_newest_first_relative_to_the_folder(coupled, coupled_history):
    assert [c.id for c in coupled_history.commits] == coupled.ids()
    assert coupled_history.head == coupled.ids()[0]
    assert coupled_history.repository == str(coupled.path.resolve())
    assert coupled_history.path_in_repo == "src"
    assert coupled_history.notes == () and coupled_history.truncated is False
    oldest = coupled_history.commits[-1]
    assert oldest == Commit(
        oldest.id, "Ann Author", T0 + HOUR, ("a/x.py", "b/y.py"), (("a/x.py", 1, 0), ("b/y.py", 1, 0)), 2
    )


def test_cross_group_commits_counts_changesets_touching_two_services(coupled_history):
    groups = {"a.x": "alpha", "b.y": "beta", "c.z": "alpha"}
    crossed = cross_group_commits(coupled_history, MODULES, groups, OPTIONS)
    assert (crossed.total, crossed.crossing) == (11, 6)
    assert crossed.per_group == {"alpha": GroupCommits(11, 6), "beta": GroupCommits(6, 6)}
    assert crossed.pairs == {("alpha", "beta"): 6}
    assert crossed.share == 6 / 11
    only_z = cross_group_commits(coupled_history, MODULES, {"c.z": "gamma"}, OPTIONS)
    assert (only_z.total, only_z.crossing, only_z.pairs) == (5, 0, {})


def test_max_commits_cuts_the_oldest_and_says_so(coupled):
    cut = read_history(coupled.path / "src", HistoryOptions(max_commits=3))
    assert [c.id for c in cut.commits] == coupled.ids()[:3]
    assert cut.truncated is True
    assert any("only the newest 3 commits" in note for note in cut.notes)
    exact = read_history(coupled.path / "src", HistoryOptions(max_commits=14))
    assert len(exact.commits) == 14 and exact.truncated is False


def test_since_is_passed_to_git(coupled):
    since = HistoryOptions(since="2023-11-15 10:13:20 +0000")  # T0 + 12 hours
    recent = read_history(coupled.path / "src", since)
    assert [c.id for c in recent.commits] == coupled.ids()[:3]


def test_a_renamed_module_keeps_its_history(tmp_path):
    repo = Scripted(tmp_path / "repo")
    _seed(repo, "pkg/old.py")
    for _ in range(5):
        repo.commit("pkg/old.py", "other/b.py")
    repo.rename("pkg/old.py", "pkg/mid.py")
    repo.commit("pkg/mid.py", "other/b.py")
    repo.rename("pkg/mid.py", "moved/new.py")  # a second move, to another folder
    repo.commit("moved/new.py", "other/b.py")
    found = read_history(repo.path, OPTIONS)
    every_file = {f for c in found.commits for f in c.files}
    assert every_file == {"moved/new.py", "other/b.py"}
    modules = {"moved/new.py": "moved.new", "other/b.py": "other.b"}
    # new: seed + 5 + rename + 1 + rename + 1 = 10 revisions; b: 7; together 7 times
    assert revisions(found, modules, OPTIONS) == {"moved.new": 10, "other.b": 7}
    assert cochange(found, modules, OPTIONS) == (CoChange("moved.new", "other.b", 7, 200 * 7 / 17),)
    move = next(c for c in found.commits if c.id == repo.ids()[1])
    assert move.files == ("moved/new.py",) and move.touched == 1 and move.changes == (("moved/new.py", 0, 0),)


def test_a_path_reused_after_a_rename_is_a_different_file(tmp_path):
    repo = Scripted(tmp_path / "repo")
    _seed(repo, "m.py")
    repo.rename("m.py", "n.py")
    repo.commit("m.py")  # a new m.py
    found = read_history(repo.path, OPTIONS)
    assert [c.files for c in found.commits] == [("m.py",), ("n.py",), ("n.py",)]


def test_authors_of_the_last_months_before_the_newest_commit(tmp_path):
    repo = Scripted(tmp_path / "repo")
    repo.commit("app/x.py", author=BOB, when=T0 - 400 * DAY)  # more than 12 months before the newest
    repo.commit("app/x.py", "app/y.py", when=T0)
    repo.commit("app/x.py", when=T0 + DAY)
    repo.commit("app/x.py", author=BOB, when=T0 + 2 * DAY)
    repo.commit("app/x.py", "notes.txt", when=T0 + 3 * DAY)
    found = read_history(repo.path, OPTIONS)
    modules = {"app/x.py": "app.x", "app/y.py": "app.y"}
    assert authors(found, modules, OPTIONS) == {
        "app.x": (AuthorShare("Ann Author", 3, 3), AuthorShare("Bob Builder", 1, 1)),
        "app.y": (AuthorShare("Ann Author", 1, 1),),
    }
    assert authors(found, modules, HistoryOptions(months_of_authors=0))["app.x"] == (
        AuthorShare("Ann Author", 3, 3),
        AuthorShare("Bob Builder", 2, 2),
    )
    assert authors(found, modules, OPTIONS, now=T0 + DAY) == {
        "app.x": (AuthorShare("Ann Author", 2, 2),),
        "app.y": (AuthorShare("Ann Author", 1, 1),),
    }


def test_lines_added_and_deleted_are_counted(tmp_path):
    repo = Scripted(tmp_path / "repo")
    (repo.path / "x.py").write_text("a = 1\nb = 2\nc = 3\n", encoding="utf-8")
    repo.commit()
    (repo.path / "x.py").write_text("a = 1\nc = 4\nd = 5\ne = 6\n", encoding="utf-8")
    repo.commit()
    found = read_history(repo.path, OPTIONS)
    assert [c.changes for c in found.commits] == [(("x.py", 3, 2),), (("x.py", 3, 0),)]


def test_bots_are_skipped_by_name_or_e_mail(tmp_path):
    repo = Scripted(tmp_path / "repo")
    kept = repo.commit("x.py")
    repo.commit("x.py", author=("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"))
    repo.commit("x.py", author=("Renovate Bot", "bot@renovateapp.com"))
    repo.commit("x.py", author=("Deploy", "41898282+github-actions[bot]@users.noreply.github.com"))
    person = repo.commit("x.py", author=BOB)
    found = read_history(repo.path, OPTIONS)
    assert [c.id for c in found.commits] == [person, kept]
    assert [c.author for c in found.commits] == ["Bob Builder", "Ann Author"]
    everyone = read_history(repo.path, HistoryOptions(bot_pattern=r"^$"))
    assert len(everyone.commits) == 5


def test_merge_commits_are_not_read(tmp_path):
    repo = Scripted(tmp_path / "repo")
    first = repo.commit("x.py")
    repo.git("switch", "-q", "-c", "side")
    side = repo.commit("y.py")
    repo.git("switch", "-q", "main")
    main = repo.commit("z.py")
    repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    merge = repo.git("rev-parse", "HEAD")
    found = read_history(repo.path, OPTIONS)
    assert merge not in {c.id for c in found.commits}
    assert sorted(c.id for c in found.commits) == sorted([first, side, main])


def test_a_bare_repository_is_read_through_repo(coupled, tmp_path):
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(coupled.path), str(bare)], check=True)
    elsewhere = tmp_path / "exported"
    elsewhere.mkdir()
    found = read_history(elsewhere, OPTIONS, repo=bare, path_in_repo="src")
    assert [c.id for c in found.commits] == coupled.ids()
    assert found.repository == str(bare.resolve())
    assert cochange(found, MODULES, OPTIONS)[0] == CoChange("a.x", "b.y", 6, 200 * 6 / 17)
    whole = read_history(elsewhere, OPTIONS, repo=bare)
    assert whole.path_in_repo == "" and "elsewhere/f0.txt" in whole.commits[0].files


def test_no_repository_no_history(tmp_path):
    assert read_history(tmp_path, OPTIONS) is None
    assert read_history(tmp_path, OPTIONS, repo=tmp_path) is None
    assert read_history(tmp_path / "missing", OPTIONS) is None


def test_git_missing_is_no_history(coupled, monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert read_history(coupled.path, OPTIONS) is None


def test_a_shallow_clone_gives_a_note(coupled, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{coupled.path}", str(shallow)], check=True)
    found = read_history(shallow / "src", OPTIONS)
    # Two commits in the clone: the older one is the cut, whose diff would list every file.
    assert [c.id for c in found.commits] == coupled.ids()[:1]
    assert any("shallow clone" in note and "1 boundary commit" in note for note in found.notes)


def test_an_empty_repository_gives_a_note(tmp_path):
    repo = Scripted(tmp_path / "repo")
    found = read_history(repo.path, OPTIONS)
    assert found.commits == () and found.head == ""
    assert found.notes == ("the repository has no commit yet: there is no history to read",)


def test_a_detached_head_gives_a_note(tmp_path):
    repo = Scripted(tmp_path / "repo")
    older = repo.commit("x.py")
    repo.commit("x.py")
    repo.git("checkout", "-q", "--detach", older)
    found = read_history(repo.path, OPTIONS)
    assert [c.id for c in found.commits] == [older]
    assert found.notes == (f"HEAD is detached at {older[:12]}: the history read is that commit's",)


def test_a_non_utf8_author_name_is_decoded_with_replacement(tmp_path):
    repo = Scripted(tmp_path / "repo")
    repo.commit("x.py")
    repo.commit("x.py", author=("Rene Muller", "rene@example.com"))
    # ``git commit`` repairs a Latin-1 name; an older tool or an import may not have: the
    # commit is written again with the name in Latin-1.
    original = subprocess.run(
        ["git", "-C", str(repo.path), "cat-file", "commit", "HEAD"], capture_output=True
    )
    latin1 = original.stdout.replace(b"Rene Muller", b"Ren\xe9 M\xfcller")
    written = subprocess.run(
        ["git", "-C", str(repo.path), "hash-object", "-t", "commit", "-w", "--stdin"],
        input=latin1,
        capture_output=True,
        check=True,
    )
    repo.git("update-ref", "refs/heads/main", written.stdout.decode().strip())
    found = read_history(repo.path, OPTIONS)
    assert [c.author for c in found.commits] == ["Ren\ufffd M\ufffdller", "Ann Author"]


def test_odd_file_names_are_read_exactly(tmp_path):
    repo = Scripted(tmp_path / "repo")
    repo.commit("pkg/with space.py", "pkg/tab\tand\nnewline.py", "pkg/\x1estart.py")
    found = read_history(repo.path, OPTIONS)
    assert found.commits[0].files == ("pkg/\x1estart.py", "pkg/tab\tand\nnewline.py", "pkg/with space.py")


def test_missing_objects_give_a_note_and_keep_the_commits(tmp_path):
    repo = Scripted(tmp_path / "repo")
    repo.commit("x.py", "y.py")
    damaged = repo.commit("x.py", "y.py")
    newest = repo.commit("y.py")
    blob = repo.git("rev-parse", f"{damaged}:x.py")
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    found = read_history(repo.path, OPTIONS)
    assert [c.id for c in found.commits] == repo.ids()
    by_id = {c.id: c for c in found.commits}
    assert by_id[newest].changes == (("y.py", 1, 0),)
    assert by_id[damaged].changes == (("x.py", 0, 0), ("y.py", 0, 0))  # no line counts, files kept
    assert any(
        "git log stopped" in note and "1 commit(s) need objects missing" in note for note in found.notes
    )


def test_git_failing_gives_a_note_not_a_crash(tmp_path):
    repo = Scripted(tmp_path / "repo")
    repo.commit("x.py")
    head = repo.git("rev-parse", "HEAD")
    tree = repo.git("rev-parse", "HEAD^{tree}")
    (repo.path / ".git" / "objects" / tree[:2] / tree[2:]).unlink()
    found = read_history(repo.path, OPTIONS)
    assert found.head == head and found.commits == ()
    assert len(found.notes) == 1
    assert found.notes[0].startswith("the history could not be read further (fatal: unable to read tree")


def test_the_cache_answers_without_running_git_log(coupled, tmp_path, monkeypatch):
    runs: list[list[str]] = []
    real = gitrun.subprocess.run

    def counting(command, *args, **kwargs):
        runs.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(gitrun.subprocess, "run", counting)
    cache = tmp_path / "cache"
    first = read_history(coupled.path / "src", OPTIONS, cache_dir=cache)
    assert any("log" in command for command in runs) and len(list(cache.iterdir())) == 1
    runs.clear()
    second = read_history(coupled.path / "src", OPTIONS, cache_dir=cache)
    assert second == first
    assert [command for command in runs if "log" in command] == []
    # other reading options are another entry; co-change options are not
    read_history(coupled.path / "src", HistoryOptions(min_shared=2, group_by_day=True), cache_dir=cache)
    assert len(list(cache.iterdir())) == 1
    read_history(coupled.path / "src", HistoryOptions(max_commits=5), cache_dir=cache)
    assert len(list(cache.iterdir())) == 2


def test_a_new_commit_is_a_cache_miss_and_a_broken_cache_is_ignored(tmp_path):
    repo = Scripted(tmp_path / "repo")
    repo.commit("x.py")
    cache = tmp_path / "cache"
    assert len(read_history(repo.path, OPTIONS, cache_dir=cache).commits) == 1
    repo.commit("x.py")
    assert len(read_history(repo.path, OPTIONS, cache_dir=cache).commits) == 2
    for entry in cache.iterdir():
        entry.write_text("{not json", encoding="ascii")
    assert len(read_history(repo.path, OPTIONS, cache_dir=cache).commits) == 2


def _state(repo: Path) -> dict:
    """Everything reading could change: status, refs, and every file of .git with its time."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}

    def run(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env).stdout

    files = {
        str(path.relative_to(repo)): (path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted((repo / ".git").rglob("*"))
        if path.is_file()
    }
    return {
        "status": run("status", "--porcelain", "--ignored"),
        "refs": run("for-each-ref"),
        "head": (repo / ".git" / "HEAD").read_text(),
        "git files": files,
        "work tree": sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if ".git" not in p.parts),
    }


def test_reading_leaves_the_repository_as_it_was(tmp_path):
    repo = Scripted(tmp_path / "repo")
    _seed(repo, "a/x.py")
    repo.commit("a/x.py", "b/y.py")
    repo.rename("a/x.py", "a/w.py")
    (repo.path / "a" / "w.py").write_text("edited, not committed\n", encoding="utf-8")
    (repo.path / "untracked.py").write_text("x = 1\n", encoding="utf-8")
    before = _state(repo.path)
    assert "M a/w.py" in before["status"] and "?? untracked.py" in before["status"]
    found = read_history(repo.path / "a", OPTIONS, cache_dir=tmp_path / "cache")
    assert len(found.commits) == 3
    assert _state(repo.path) == before


def test_group_by_day_joins_one_authors_commits_of_a_day(tmp_path):
    repo = Scripted(tmp_path / "repo")
    for day in range(5):
        repo.commit("x.py", when=T0 + day * DAY)
        repo.commit("y.py", when=T0 + day * DAY + 60)
        repo.commit("y.py", author=BOB, when=T0 + day * DAY + 120)
    found = read_history(repo.path, OPTIONS)
    modules = {"x.py": "x", "y.py": "y"}
    assert cochange(found, modules, OPTIONS) == ()
    by_day = HistoryOptions(group_by_day=True)
    assert revisions(found, modules, by_day) == {"x": 5, "y": 10}
    assert cochange(found, modules, by_day) == (CoChange("x", "y", 5, 200 * 5 / 15),)


def test_results_do_not_depend_on_the_order_of_the_mapping(coupled_history):
    backwards = dict(reversed(list(MODULES.items())))
    assert cochange(coupled_history, backwards, OPTIONS) == cochange(coupled_history, MODULES, OPTIONS)
    assert list(revisions(coupled_history, backwards, OPTIONS)) == ["a.x", "b.y", "c.z"]


def test_cochange_on_a_large_synthetic_history_is_exact():
    # 10,000 commits of 30 files over 250 modules: commit n changes modules n .. n+29 (mod 250),
    # so each module is in 1,200 commits and two modules d apart share (30 - d) * 40.
    commits = tuple(
        Commit(f"{n:040x}", "Ann", T0 + n, files, tuple((f, 1, 0) for f in files), 30)
        for n in range(10_000)
        for files in [tuple(sorted(f"m{(n + k) % 250:03d}.py" for k in range(30)))]
    )
    modules = {f"m{i:03d}.py": f"m{i:03d}" for i in range(250)}
    found = cochange(History(commits, "h", "r", (), False), modules, OPTIONS)
    assert len(found) == 250 * 29
    assert found[:2] == (
        CoChange("m000", "m001", 1160, 200 * 1160 / 2400),
        CoChange("m000", "m249", 1160, 200 * 1160 / 2400),
    )
    assert sorted({pair.shared for pair in found}) == [(30 - d) * 40 for d in range(29, 0, -1)]


@pytest.mark.parametrize(
    ("field", "value"),
    [("max_commits", 0), ("min_shared", -1), ("max_changeset", "30"), ("bot_pattern", "(["), ("since", "")],
)
def test_invalid_options_name_the_key(field, value):
    with pytest.raises(ConfigError, match=f"history.{field}"):
        HistoryOptions(**{field: value})


def test_the_public_surface_is_what_all_says():
    assert sorted(history_package.__all__) == [
        "AUTHOR_MODES",
        "AuthorShare",
        "CoChange",
        "Commit",
        "CrossCommits",
        "GroupCommits",
        "History",
        "HistoryOptions",
        "HistorySettings",
        "authors",
        "changesets",
        "cochange",
        "cross_group_commits",
        "crossing_commits",
        "module_sets",
        "read_history",
        "revisions",
        "summarise",
    ]


def test_authors_are_named_through_the_mailmap(tmp_path):
    repo = Scripted(tmp_path / "repo")
    (repo.path / ".mailmap").write_text("Ann Author <ann@example.com> <ann@old.example>\n", encoding="utf-8")
    repo.commit("x.py", author=("ann", "ann@old.example"))
    repo.commit("x.py")
    assert [c.author for c in read_history(repo.path, OPTIONS).commits] == ["Ann Author", "Ann Author"]
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True)
    from_bare = read_history(tmp_path, OPTIONS, repo=bare)
    assert [c.author for c in from_bare.commits] == ["Ann Author", "Ann Author"]


def test_slices_read_in_parallel_give_the_same_history(coupled, coupled_history, monkeypatch):
    monkeypatch.setattr(gitlog, "_jobs", lambda commits: 4)
    monkeypatch.setattr(gitlog, "_slices", lambda limit, jobs: [(0, 5), (5, 4), (9, 3), (12, limit - 12)])
    assert read_history(coupled.path / "src", OPTIONS) == coupled_history


def test_a_file_moved_into_the_folder_brings_its_history_in_the_folders_commits(tmp_path):
    # Only commits touching the folder are read (``git log -- src``): the first one, which
    # touched scripts/ alone, is not; the second, which touched both, is.
    repo = Scripted(tmp_path / "repo")
    _seed(repo, "scripts/tool.py")
    repo.commit("scripts/tool.py", "src/app.py")
    repo.rename("scripts/tool.py", "src/tool.py")
    found = read_history(repo.path / "src", OPTIONS)
    assert [c.files for c in found.commits] == [("tool.py",), ("app.py", "tool.py")]
    assert found.commits[1].touched == 2


def test_a_folder_no_commit_touches_gives_a_note(tmp_path):
    repo = Scripted(tmp_path / "repo")
    repo.commit("elsewhere.py")
    (repo.path / "empty").mkdir()
    found = read_history(repo.path / "empty", OPTIONS)
    assert found.commits == ()
    assert found.notes == ("no commit read (merges and bots' left out) changes a file under empty/",)


def test_without_a_temporary_file_every_files_lines_are_counted(tmp_path, monkeypatch):
    repo = Scripted(tmp_path / "repo")
    repo.commit("x.py", "notes.txt")
    assert read_history(repo.path, OPTIONS).commits[0].changes == (("notes.txt", 0, 0), ("x.py", 1, 0))

    def unwritable(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(gitlog.tempfile, "TemporaryDirectory", unwritable)
    assert read_history(repo.path, OPTIONS).commits[0].changes == (("notes.txt", 1, 0), ("x.py", 1, 0))


def test_a_path_in_repo_leaving_the_repository_is_an_input_error(coupled):
    with pytest.raises(InputError, match="leaves the repository"):
        read_history(coupled.path, OPTIONS, path_in_repo="../other")
