build-fcast/src/core/model.o: src/core/model.c src/core/model.h
src/core/model.h:
