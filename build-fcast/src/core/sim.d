build-fcast/src/core/sim.o: src/core/sim.c src/core/sim.h src/core/err.h \
 src/core/plan.h src/core/model.h src/core/usage.h src/core/apigw.h \
 src/core/dynamo.h src/core/dynamo_units.h src/core/lambda.h \
 src/core/stats.h src/core/trace.h src/core/util.h
src/core/sim.h:
src/core/err.h:
src/core/plan.h:
src/core/model.h:
src/core/usage.h:
src/core/apigw.h:
src/core/dynamo.h:
src/core/dynamo_units.h:
src/core/lambda.h:
src/core/stats.h:
src/core/trace.h:
src/core/util.h:
