build-fcast/src/main.o: src/main.c src/cmd.h src/core/err.h \
 src/core/util.h src/io/model_load.h src/io/../core/err.h \
 src/io/../core/model.h src/io/yaml.h src/io/yaml.h
src/cmd.h:
src/core/err.h:
src/core/util.h:
src/io/model_load.h:
src/io/../core/err.h:
src/io/../core/model.h:
src/io/yaml.h:
src/io/yaml.h:
