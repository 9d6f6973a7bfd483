build-fcast/src/cmd_tui.o: src/cmd_tui.c src/cmd.h src/core/err.h \
 src/core/units.h src/core/util.h src/io/yaml.h src/io/../core/err.h \
 src/tui/tui.h
src/cmd.h:
src/core/err.h:
src/core/units.h:
src/core/util.h:
src/io/yaml.h:
src/io/../core/err.h:
src/tui/tui.h:
