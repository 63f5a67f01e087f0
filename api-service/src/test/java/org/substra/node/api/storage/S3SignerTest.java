package org.substra.node.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SignerTest {

  /**
   * The "GET Object" example of the AWS documentation (Signature Version 4, authenticating requests
   * in the Authorization header, S3 examples).
   */
  @Test
  void signsTheAwsS3GetObjectExample() {
    S3Signer signer =
        new S3Signer(
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");
    String emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    String authorization =
        signer.authorization(
            "GET",
            "/test.txt",
            "",
            Map.of(
                "Host", "examplebucket.s3.amazonaws.com",
                "Range", "bytes=0-9",
                "x-amz-content-sha256", emptyHash,
                "x-amz-date", "20130524T000000Z"),
            emptyHash);

    assertThat(authorization)
        .isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + " SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + " Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }

  /** The "get-vanilla" case of the AWS Signature Version 4 test suite. */
  @Test
  void signsTheGetVanillaTestSuiteCase() {
    S3Signer signer =
        new S3Signer(
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service");

    String authorization =
        signer.authorization(
            "GET",
            "/",
            "",
            Map.of("Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    assertThat(authorization)
        .isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-date,"
                + " Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void encodesLikeSigV4() {
    assertThat(S3Signer.encodePath("/bucket/a b+c~d")).isEqualTo("/bucket/a%20b%2Bc~d");
    assertThat(S3Signer.encode("a/b=c", false)).isEqualTo("a%2Fb%3Dc");
  }
}
