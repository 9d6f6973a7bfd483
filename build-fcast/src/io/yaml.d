build-fcast/src/io/yaml.o: src/io/yaml.c src/io/yaml.h \
 src/io/../core/err.h src/io/../core/util.h
src/io/yaml.h:
src/io/../core/err.h:
src/io/../core/util.h:
