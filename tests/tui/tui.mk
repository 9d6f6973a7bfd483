# TUI tests (included by the Makefile).
#   make unit        also builds and runs tests/unit/test_tui_app.c, linked
#                    with the curses-free TUI objects below (not curses)
#   make tui         golden screens of the scripted mode + tmux tests
#   make tui-golden-update   rewrites the expected screens for review
TUI_APP_OBJ = $(BUILD)/src/tui/app.o $(BUILD)/src/tui/knob.o $(BUILD)/src/tui/tree.o \
	$(BUILD)/src/tui/draw.o $(BUILD)/src/tui/canvas.o

# More specific than the pattern rule in the Makefile: app.c needs app.o.
$(BUILD)/tests/test_tui_app: tests/unit/test_tui_app.c $(LIB_OBJ) $(TUI_APP_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -Isrc -o $@ $< $(LIB_OBJ) \
		$(TUI_APP_OBJ) $(ALL_LDFLAGS) $(CORE_LIBS) $(CMOCKA_LIBS)

.PHONY: tui tui-test tui-golden tui-golden-update tui-tmux

tui: tui-test

tui-test: tui-golden tui-tmux

tui-golden: $(BIN)
	@sh tests/tui/golden.sh $(BIN)

tui-golden-update: $(BIN)
	@sh tests/tui/golden.sh --update $(BIN)

tui-tmux: $(BIN)
	@sh tests/tui/tmux.sh $(BIN)

CHECK_TARGETS += tui-test
