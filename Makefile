# Entry points; each target is one script under scripts/ (all take -h).
.PHONY: demo check check-debug bench clean help

help:
	@echo "make demo    build the series kernel, boot with pmem, show the memmap savings"
	@echo "make check   build base + series (+ sanitizer kernel), boot them, run the tests, print the summary"
	@echo "make check-debug  every guest test on the sanitizer kernel (KASAN, DEBUG_PAGEALLOC, lockdep; slow)"
	@echo "make bench   base vs series benchmark report (results/)"
	@echo "make clean   remove build/ (the ccache and tarball cache are kept)"

demo:
	scripts/demo

check:
	scripts/check

check-debug:
	scripts/check -k debug -D "*"

bench:
	scripts/bench

clean:
	rm -rf build
