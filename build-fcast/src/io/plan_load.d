build-fcast/src/io/plan_load.o: src/io/plan_load.c src/io/plan_load.h \
 src/io/../core/err.h src/io/../core/plan.h src/io/../core/model.h \
 src/io/yaml.h src/io/../core/dynamo_units.h src/io/../core/plan.h \
 src/io/../core/units.h src/io/../core/util.h src/io/model_load.h \
 src/io/../core/model.h src/io/paths.h
src/io/plan_load.h:
src/io/../core/err.h:
src/io/../core/plan.h:
src/io/../core/model.h:
src/io/yaml.h:
src/io/../core/dynamo_units.h:
src/io/../core/plan.h:
src/io/../core/units.h:
src/io/../core/util.h:
src/io/model_load.h:
src/io/../core/model.h:
src/io/paths.h:
