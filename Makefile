# Entry points; each target is one script under scripts/ (all take -h).
.PHONY: demo check check-debug bench clean help

help:
	@echo "make demo    build the series kernel, boot with pmem, show the memmap savings"
	@echo "make check   build base + series, boot both, run every test, print the summary"
	@echo "make check-debug  the same on the series built with DEBUG_VM, PROVE_LOCKING & co."
	@echo "make bench   base vs series benchmark report (results/)"
	@echo "make clean   remove build/ (the ccache and tarball cache are kept)"

demo:
	scripts/demo

check:
	scripts/check

check-debug:
	scripts/check -k debug

bench:
	scripts/bench

clean:
	rm -rf build
