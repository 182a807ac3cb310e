# Entry points; each target is one script under scripts/ (all take -h).
.PHONY: demo check bench test-host kernels clean help

help:
	@echo "make demo    build the series kernel, boot with pmem, show the memmap savings"
	@echo "make check   build base + series, boot both, run every test, print the summary"
	@echo "make bench   base vs series benchmark report (results/)"
	@echo "make clean   remove build/ (the ccache and tarball cache are kept)"

demo:
	scripts/demo

check:
	scripts/check

bench:
	scripts/bench

clean:
	rm -rf build
