build-fcast/src/core/units.o: src/core/units.c src/core/units.h
src/core/units.h:
