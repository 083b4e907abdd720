from samizdat.cli import run

run()
