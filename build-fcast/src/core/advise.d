build-fcast/src/core/advise.o: src/core/advise.c
