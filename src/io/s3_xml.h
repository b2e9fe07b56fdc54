/*
 * s3_xml.h -- reading the few XML shapes S3 answers with (ListBucketResult,
 * Error, InitiateMultipartUploadResult): find an element, take its text with
 * entities decoded. Not a general XML parser; bounded by the body's length.
 */
#ifndef NL_IO_S3_XML_H
#define NL_IO_S3_XML_H

#include <stdbool.h>
#include <stddef.h>

/* Finds the next <tag>...</tag> in [*pos, end); sets the inner range and
 * moves *pos past the element. False when there is none. */
bool s3_xml_element(const char **pos, const char *end, const char *tag, const char **inner,
                    const char **inner_end);
/* The decoded text of the first <tag> in [start, end) (owned), or NULL. */
char *s3_xml_text(const char *start, const char *end, const char *tag);
/* Decodes &amp; &lt; &gt; &quot; &apos; and &#N; / &#xN; (owned). */
char *s3_xml_decode(const char *s, size_t n);

#endif
