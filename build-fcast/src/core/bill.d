build-fcast/src/core/bill.o: src/core/bill.c src/core/bill.h \
 src/core/plan.h src/core/model.h src/core/usage.h src/core/util.h
src/core/bill.h:
src/core/plan.h:
src/core/model.h:
src/core/usage.h:
src/core/util.h:
