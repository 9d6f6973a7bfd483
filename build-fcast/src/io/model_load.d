build-fcast/src/io/model_load.o: src/io/model_load.c src/io/model_load.h \
 src/io/../core/err.h src/io/../core/model.h src/io/yaml.h \
 src/io/../core/units.h src/io/../core/util.h src/io/paths.h
src/io/model_load.h:
src/io/../core/err.h:
src/io/../core/model.h:
src/io/yaml.h:
src/io/../core/units.h:
src/io/../core/util.h:
src/io/paths.h:
