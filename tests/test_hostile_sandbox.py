"""The hostile-site sandbox itself: it sees a change outside the output, and a clean build passes."""

from __future__ import annotations

import pytest

from tests.hostile import SECRET, Sandbox


def test_a_clean_build_changes_nothing_outside_the_output(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]):
    sandbox.write({})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert any(sandbox.output_files())
    sandbox.assert_untouched()


def test_the_sandbox_notices_a_change_outside_the_output(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]):
    sandbox.write({})
    sandbox.build(capsys)
    (sandbox.outside / "secret.txt").write_text("overwritten", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"secret\.txt"):
        sandbox.assert_untouched()


def test_the_sandbox_notices_a_secret_in_the_output(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]):
    sandbox.write({})
    sandbox.build(capsys)
    (sandbox.out / "leak.txt").write_text(SECRET, encoding="utf-8")
    with pytest.raises(AssertionError, match="outside the site"):
        sandbox.assert_untouched()
