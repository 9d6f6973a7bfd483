build-fcast/src/core/usage.o: src/core/usage.c src/core/usage.h
src/core/usage.h:
