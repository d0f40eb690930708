#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include "deployer_keycrypto.h"

/* Hands libcrypto the passphrase; without one, fails instead of prompting on the terminal. */
static int give_passphrase(char *buffer, int size, int writing, void *passphrase) {
    (void)writing;
    if (passphrase == NULL) return -1;
    size_t length = strlen(passphrase);
    if (length > (size_t)size) return -1;
    memcpy(buffer, passphrase, length);
    return (int)length;
}

void *deployer_rsa_key_from_pem(const char *pem, size_t length, const char *passphrase) {
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return NULL;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, give_passphrase, (void *)passphrase);
    BIO_free(bio);
    ERR_clear_error();
    if (key != NULL && EVP_PKEY_is_a(key, "RSA") != 1) {
        EVP_PKEY_free(key);
        return NULL;
    }
    return key;
}

void *deployer_rsa_key_from_parts(const uint8_t *n, size_t n_length, const uint8_t *e, size_t e_length,
                                  const uint8_t *d, size_t d_length, const uint8_t *iqmp, size_t iqmp_length,
                                  const uint8_t *p, size_t p_length, const uint8_t *q, size_t q_length) {
    EVP_PKEY *key = NULL;
    BN_CTX *context = BN_CTX_new();
    BIGNUM *bn_n = BN_bin2bn(n, (int)n_length, NULL), *bn_e = BN_bin2bn(e, (int)e_length, NULL);
    BIGNUM *bn_d = BN_bin2bn(d, (int)d_length, NULL), *bn_iqmp = BN_bin2bn(iqmp, (int)iqmp_length, NULL);
    BIGNUM *bn_p = BN_bin2bn(p, (int)p_length, NULL), *bn_q = BN_bin2bn(q, (int)q_length, NULL);
    BIGNUM *dmp1 = BN_new(), *dmq1 = BN_new(), *p1 = BN_new(), *q1 = BN_new();
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    /* OpenSSH files carry no CRT exponents: d mod (p-1) and d mod (q-1). */
    if (context && bn_n && bn_e && bn_d && bn_iqmp && bn_p && bn_q && dmp1 && dmq1 && p1 && q1 && builder
        && BN_sub(p1, bn_p, BN_value_one()) && BN_sub(q1, bn_q, BN_value_one())
        && BN_mod(dmp1, bn_d, p1, context) && BN_mod(dmq1, bn_d, q1, context)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, bn_n)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, bn_e)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_D, bn_d)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_FACTOR1, bn_p)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_FACTOR2, bn_q)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, bn_iqmp)
        && (params = OSSL_PARAM_BLD_to_param(builder)) != NULL
        && (pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) != NULL
        && EVP_PKEY_fromdata_init(pctx) == 1) {
        if (EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_KEYPAIR, params) != 1) key = NULL;
    }
    EVP_PKEY_CTX_free(pctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(builder);
    BN_clear_free(bn_d);
    BN_clear_free(bn_p);
    BN_clear_free(bn_q);
    BN_clear_free(dmp1);
    BN_clear_free(dmq1);
    BN_clear_free(p1);
    BN_clear_free(q1);
    BN_free(bn_n);
    BN_free(bn_e);
    BN_free(bn_iqmp);
    BN_CTX_free(context);
    ERR_clear_error();
    return key;
}

size_t deployer_rsa_key_public_part(void *key, char which, uint8_t *out, size_t capacity) {
    BIGNUM *value = NULL;
    const char *name = which == 'e' ? OSSL_PKEY_PARAM_RSA_E : OSSL_PKEY_PARAM_RSA_N;
    if (EVP_PKEY_get_bn_param((EVP_PKEY *)key, name, &value) != 1) return 0;
    size_t length = (size_t)BN_num_bytes(value);
    size_t written = length <= capacity ? (size_t)BN_bn2bin(value, out) : 0;
    BN_free(value);
    return written;
}

int deployer_rsa_sign(void *key, int digest_bits, const uint8_t *data, size_t length, uint8_t **signature,
                      size_t *signature_length) {
    const EVP_MD *digest = digest_bits == 512 ? EVP_sha512() : digest_bits == 256 ? EVP_sha256() : EVP_sha1();
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    size_t size = 0;
    uint8_t *buffer = NULL;
    int result = -1;
    if (context && EVP_DigestSignInit(context, NULL, digest, NULL, (EVP_PKEY *)key) == 1
        && EVP_DigestSign(context, NULL, &size, data, length) == 1 && (buffer = malloc(size)) != NULL
        && EVP_DigestSign(context, buffer, &size, data, length) == 1) {
        *signature = buffer;
        *signature_length = size;
        buffer = NULL;
        result = 0;
    }
    free(buffer);
    EVP_MD_CTX_free(context);
    ERR_clear_error();
    return result;
}

void deployer_rsa_key_free(void *key) {
    EVP_PKEY_free((EVP_PKEY *)key);
}

int deployer_decrypt(const char *cipher_name, const uint8_t *key, const uint8_t *iv, uint8_t *data, size_t length) {
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, cipher_name, NULL);
    EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
    int written = 0, result = -1;
    if (cipher && context && EVP_DecryptInit_ex(context, cipher, NULL, key, iv) == 1
        && EVP_CIPHER_CTX_set_padding(context, 0) == 1
        && EVP_DecryptUpdate(context, data, &written, data, (int)length) == 1 && (size_t)written == length) {
        result = 0;
    }
    EVP_CIPHER_CTX_free(context);
    EVP_CIPHER_free(cipher);
    ERR_clear_error();
    return result;
}
