build-fcast/src/core/dynamo_units.o: src/core/dynamo_units.c \
 src/core/dynamo_units.h src/core/plan.h src/core/model.h
src/core/dynamo_units.h:
src/core/plan.h:
src/core/model.h:
