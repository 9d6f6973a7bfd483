build-fcast/src/core/apigw.o: src/core/apigw.c src/core/apigw.h
src/core/apigw.h:
